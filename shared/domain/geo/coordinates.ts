/**
 * GCJ-02 ↔ WGS84. Maps in mainland China (WeChat's location picker, Amap/高德, Tencent Maps) report
 * positions in GCJ-02 (国测局坐标, "Mars coordinates"): WGS84 shifted by a deliberately non-linear
 * offset of a few hundred metres. The API accepts `coordSystem: "GCJ02"` so those clients can send
 * what their SDK gives them, and stores WGS84 only — grid polygons, distances and exports all assume
 * one datum, and a 300–600 m error would put a case in the wrong grid.
 *
 * The forward transform is the widely published one (Krasovsky 1940 ellipsoid); it has no closed-form
 * inverse, so the inverse is solved by fixed-point iteration.
 */

export interface LatLng {
  lat: number;
  lng: number;
}

/** A location as the API accepts it: WGS84 unless the client says GCJ-02. */
export interface InputLocation extends LatLng {
  coordSystem?: 'WGS84' | 'GCJ02';
}

/** Semi-major axis (m) and eccentricity squared of the Krasovsky 1940 ellipsoid. */
const A = 6378245.0;
const EE = 0.00669342162296594323;

/** Stop iterating once the GCJ-02 image of the estimate is this close (degrees) to the input. */
const INVERSE_TOLERANCE = 1e-9;
/** Each step shrinks the error at least ~100-fold, so ≤ 5 steps suffice; the cap only guards against NaN input. */
const INVERSE_MAX_STEPS = 20;

/** The bounding box GCJ-02 applies to; outside it the offset is zero by convention. */
function outOfChina(lat: number, lng: number): boolean {
  return lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function offsetLat(x: number, y: number): number {
  let ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  ret += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  ret += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  ret += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  return ret;
}

function offsetLng(x: number, y: number): number {
  let ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  ret += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  ret += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  ret += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  return ret;
}

/** WGS84 → GCJ-02 (what a Chinese map SDK would show for a GPS fix). Unchanged outside China. */
export function wgs84ToGcj02(lat: number, lng: number): LatLng {
  if (outOfChina(lat, lng)) return { lat, lng };
  const radLat = (lat / 180.0) * Math.PI;
  const sinLat = Math.sin(radLat);
  const magic = 1 - EE * sinLat * sinLat;
  const sqrtMagic = Math.sqrt(magic);
  const dLat = (offsetLat(lng - 105.0, lat - 35.0) * 180.0) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  const dLng = (offsetLng(lng - 105.0, lat - 35.0) * 180.0) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return { lat: lat + dLat, lng: lng + dLng };
}

/**
 * GCJ-02 → WGS84, accurate to well under 1e-7° (~1 cm). The common one-step inverse (subtract the
 * offset computed at the GCJ-02 point) is off by up to ~5 m; this iterates until the forward
 * transform of the estimate lands on the input. Unchanged outside China.
 */
export function gcj02ToWgs84(lat: number, lng: number): LatLng {
  if (outOfChina(lat, lng)) return { lat, lng };
  let estimate: LatLng = { lat, lng };
  for (let step = 0; step < INVERSE_MAX_STEPS; step++) {
    const image = wgs84ToGcj02(estimate.lat, estimate.lng);
    const errLat = image.lat - lat;
    const errLng = image.lng - lng;
    estimate = { lat: estimate.lat - errLat, lng: estimate.lng - errLng };
    if (Math.abs(errLat) < INVERSE_TOLERANCE && Math.abs(errLng) < INVERSE_TOLERANCE) break;
  }
  return estimate;
}

/** Decimal places kept for a coordinate: 1e-7° is ~1 cm, far below any phone's accuracy. */
export const COORDINATE_DECIMALS = 7;

/**
 * A coordinate rounded to {@link COORDINATE_DECIMALS} places. Besides dropping false precision, this
 * keeps every stored number within what DynamoDB can hold (`1e-320` or `-5e-324` would fail with
 * "Number underflow"; they become 0), and never yields `-0`.
 */
export function roundCoordinate(value: number): number {
  const rounded = Math.round(value * 10 ** COORDINATE_DECIMALS) / 10 ** COORDINATE_DECIMALS;
  return rounded === 0 ? 0 : rounded;
}

/** The WGS84 position of an API location; `coordSystem` defaults to WGS84. Rounded to 7 decimals. */
export function toWgs84(location: InputLocation): LatLng {
  const wgs = location.coordSystem === 'GCJ02' ? gcj02ToWgs84(location.lat, location.lng) : location;
  return { lat: roundCoordinate(wgs.lat), lng: roundCoordinate(wgs.lng) };
}

/** π · 3000 / 180: the constant of Baidu's published GCJ-02 → BD-09 transform. */
const BD_X_PI = (Math.PI * 3000.0) / 180.0;

/**
 * GCJ-02 → BD-09 (百度坐标): Baidu Maps' own further shift of GCJ-02, the transform Baidu publishes.
 * Unchanged outside China (as GCJ-02 is).
 */
export function gcj02ToBd09(lat: number, lng: number): LatLng {
  if (outOfChina(lat, lng)) return { lat, lng };
  const z = Math.sqrt(lng * lng + lat * lat) + 0.00002 * Math.sin(lat * BD_X_PI);
  const theta = Math.atan2(lat, lng) + 0.000003 * Math.cos(lng * BD_X_PI);
  return { lat: z * Math.sin(theta) + 0.006, lng: z * Math.cos(theta) + 0.0065 };
}

/** WGS84 → BD-09 (through GCJ-02), what Baidu Maps expects for a GPS position. */
export function wgs84ToBd09(lat: number, lng: number): LatLng {
  const gcj = wgs84ToGcj02(lat, lng);
  return gcj02ToBd09(gcj.lat, gcj.lng);
}
