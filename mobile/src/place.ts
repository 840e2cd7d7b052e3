import { api } from './api.ts';

/**
 * Choosing the place by hand (定位方式 map / address) when the person is not at the spot or the phone
 * gives no position: the grids as the API draws them (`GET /v1/grids/geojson`, WGS-84), a
 * district → street → community tree of them, and a point inside a chosen community.
 */
export interface GridFeature {
  type: 'Feature';
  id: string;
  properties: { id: string; name: string; community: string; street: string; district: string };
  geometry: { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };
}
export interface GridCollection {
  type: 'FeatureCollection';
  features: GridFeature[];
}

let loading: Promise<GridCollection> | undefined;
/** The grids, fetched once per page load (the API lets clients keep them five minutes). */
export function loadGrids(): Promise<GridCollection> {
  loading ??= api<GridCollection>('/v1/grids/geojson').catch((error) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/** A Vant Cascader option: 区 → 街道 → 社区 (the leaf's value is the grid's id). */
export interface PlaceOption {
  text: string;
  value: string;
  children?: PlaceOption[];
}

/** 区 → 街道 → 社区, each level in the Chinese collation order. */
export function placeOptions(grids: GridCollection): PlaceOption[] {
  const districts = new Map<string, Map<string, PlaceOption[]>>();
  for (const feature of grids.features) {
    const { district, street, community } = feature.properties;
    const streets = districts.get(district) ?? new Map<string, PlaceOption[]>();
    districts.set(district, streets);
    const communities = streets.get(street) ?? [];
    streets.set(street, communities);
    communities.push({ text: community || feature.properties.name, value: feature.id });
  }
  const byText = (a: PlaceOption, b: PlaceOption) => a.text.localeCompare(b.text, 'zh-CN');
  return [...districts]
    .map(([district, streets]) => ({
      text: district,
      value: `district:${district}`,
      children: [...streets].map(([street, communities]) => ({ text: street, value: `street:${district}/${street}`, children: communities.sort(byText) })).sort(byText),
    }))
    .sort(byText);
}

type Ring = number[][];
const outerRings = (feature: GridFeature): Ring[] => (feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates[0]!] : feature.geometry.coordinates.map((polygon) => polygon[0]!));

/** Twice the signed area of a ring ([lng, lat] pairs). */
const ringArea2 = (ring: Ring) => ring.reduce((sum, [x1, y1], i) => {
  const [x2, y2] = ring[(i + 1) % ring.length]!;
  return sum + x1! * y2! - x2! * y1!;
}, 0);

function inside(ring: Ring, lng: number, lat: number): boolean {
  let within = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi! > lat !== yj! > lat && lng < ((xj! - xi!) * (lat - yi!)) / (yj! - yi!) + xi!) within = !within;
  }
  return within;
}

/**
 * The centre of a community grid (its largest part's centroid), WGS-84, to 6 decimals. A centroid can lie
 * outside a concave grid (an L-shaped community): then the middle of the widest stretch of the grid on
 * the centroid's latitude, which is inside — so the case is located in the community that was chosen.
 */
export function gridCentre(feature: GridFeature): { lat: number; lng: number } {
  const ring = outerRings(feature).sort((a, b) => Math.abs(ringArea2(b)) - Math.abs(ringArea2(a)))[0]!;
  const a2 = ringArea2(ring);
  let cx = 0;
  let cy = 0;
  ring.forEach(([x1, y1], i) => {
    const [x2, y2] = ring[(i + 1) % ring.length]!;
    const cross = x1! * y2! - x2! * y1!;
    cx += (x1! + x2!) * cross;
    cy += (y1! + y2!) * cross;
  });
  let lng = cx / (3 * a2);
  const lat = cy / (3 * a2);
  if (!inside(ring, lng, lat)) {
    // Crossings of the centroid's latitude, paired into stretches inside the ring: take the widest.
    const xs: number[] = [];
    ring.forEach(([x1, y1], i) => {
      const [x2, y2] = ring[(i + 1) % ring.length]!;
      if (y1! > lat !== y2! > lat) xs.push(x1! + ((lat - y1!) * (x2! - x1!)) / (y2! - y1!));
    });
    xs.sort((p, q) => p - q);
    let widest = 0;
    for (let i = 0; i + 1 < xs.length; i += 2) {
      if (xs[i + 1]! - xs[i]! > widest) {
        widest = xs[i + 1]! - xs[i]!;
        lng = (xs[i]! + xs[i + 1]!) / 2;
      }
    }
  }
  return { lat: Number(lat.toFixed(6)), lng: Number(lng.toFixed(6)) };
}

/**
 * Tiles drawn in GCJ-02 (国测局, "Mars" coordinates): Gaode/AutoNavi and Tencent. On them the grids are
 * shifted to GCJ-02 for display, and a tapped point is GCJ-02 (sent with `coordSystem: "GCJ02"`, the API
 * converts). Tianditu and OpenStreetMap tiles are WGS-84 (CGCS2000 differs by centimetres).
 */
export const tilesAreGcj02 = (tileUrl: string) => /(autonavi|amap|gtimg|map\.qq)\.com/i.test(tileUrl);
