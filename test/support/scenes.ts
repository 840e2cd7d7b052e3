import sharp from 'sharp';

/** A small deterministic PRNG (mulberry32), so that generated scenes are the same in every run. */
export function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A distinct generated "street scene" (640×480 JPEG): a gradient and a few shapes placed by `seed`.
 * `exif` is written into the file (sharp's `withExif`: IFD2 is the Exif IFD, IFD3 the GPS IFD).
 */
export async function scene(seed: number, exif?: { takenAt?: string; offset?: string; gps?: { lat: number; lng: number } }): Promise<Buffer> {
  const next = random(seed);
  const grey = () => Math.floor(next() * 256);
  const colour = () => `rgb(${grey()},${grey()},${grey()})`;
  const shapes = Array.from({ length: 6 }, () =>
    next() < 0.5
      ? `<rect x="${Math.floor(next() * 560)}" y="${Math.floor(next() * 400)}" width="${40 + Math.floor(next() * 240)}" height="${40 + Math.floor(next() * 200)}" fill="${colour()}"/>`
      : `<circle cx="${Math.floor(next() * 640)}" cy="${Math.floor(next() * 480)}" r="${20 + Math.floor(next() * 120)}" fill="${colour()}"/>`,
  ).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"><defs><linearGradient id="g" x1="0" y1="0" x2="${next().toFixed(2)}" y2="1"><stop offset="0" stop-color="${colour()}"/><stop offset="1" stop-color="${colour()}"/></linearGradient></defs><rect width="640" height="480" fill="url(#g)"/>${shapes}</svg>`;
  const image = sharp(Buffer.from(svg)).jpeg({ quality: 90 });
  if (!exif) return image.toBuffer();
  const dms = (value: number) => {
    const abs = Math.abs(value);
    const d = Math.floor(abs);
    const m = Math.floor((abs - d) * 60);
    const s = Math.round(((abs - d) * 60 - m) * 60 * 1000);
    return `${d}/1 ${m}/1 ${s}/1000`;
  };
  return image
    .withExif({
      IFD0: { Make: 'CityGridTest' },
      ...(exif.takenAt ? { IFD2: { DateTimeOriginal: exif.takenAt, ...(exif.offset ? { OffsetTimeOriginal: exif.offset } : {}) } } : {}),
      ...(exif.gps
        ? { IFD3: { GPSLatitudeRef: exif.gps.lat < 0 ? 'S' : 'N', GPSLatitude: dms(exif.gps.lat), GPSLongitudeRef: exif.gps.lng < 0 ? 'W' : 'E', GPSLongitude: dms(exif.gps.lng) } }
        : {}),
    })
    .toBuffer();
}

/** The same picture as a phone's second upload: resized and recompressed at another quality. */
export const recompressed = (bytes: Buffer, width = 400, quality = 45) => sharp(bytes).resize(width).jpeg({ quality }).toBuffer();
