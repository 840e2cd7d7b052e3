import { wgs84ToGcj02 } from '../../../shared/domain/geo/coordinates.ts';

/**
 * The API stores and answers WGS-84. Chinese tile providers (Gaode/高德, Tencent) draw GCJ-02, so on
 * their tiles every point and outline is shifted to GCJ-02 before it is drawn — the same rule and the
 * same recognition of the tile URL as the field app and /m/. Without tiles (local) or on Tianditu/OSM
 * (WGS-84 / CGCS2000) nothing is shifted.
 */
export const tilesAreGcj02 = (tileUrl: string) => /(autonavi|amap|gtimg|map\.qq)\.com/i.test(tileUrl);

/** A stored (WGS-84) point as Leaflet draws it on tiles of that datum (`gcj`: GCJ-02 tiles). */
export function displayPoint(lat: number, lng: number, gcj: boolean): [number, number] {
  if (!gcj) return [lat, lng];
  const p = wgs84ToGcj02(lat, lng);
  return [p.lat, p.lng];
}

/** Leaflet's tile subdomains for the configured provider. */
export const tileSubdomains = (tileUrl: string) => (tilesAreGcj02(tileUrl) ? '1234' : /tianditu/i.test(tileUrl) ? '01234567' : 'abc');

/** "刚刚", "3 分钟前", "2 小时前", "1 天前": the age of a last position at `now` (epoch ms). */
export function ageText(at: string, now: number): string {
  const minutes = Math.floor((now - Date.parse(at)) / 60_000);
  if (!Number.isFinite(minutes) || minutes < 1) return '刚刚';
  if (minutes < 60) return `${minutes} 分钟前`;
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} 小时前`;
  return `${Math.floor(minutes / (24 * 60))} 天前`;
}

/** A last position older than this is shown greyed (the phone went quiet). */
export const STALE_MINUTES = 10;

/** The colour of a case marker: overdue red over everything, else by status (the legend's order). */
export const CASE_COLOURS = {
  overdue: '#d93026',
  reported: '#e6a23c',
  filed: '#409eff',
  dispatched: '#1f5fa8',
  handled: '#8e44ad',
  suspended: '#909399',
} as const;
export type CaseColourKey = keyof typeof CASE_COLOURS;
export const CASE_LEGEND: Array<{ key: CaseColourKey; label: string }> = [
  { key: 'reported', label: '待受理' },
  { key: 'filed', label: '待派遣' },
  { key: 'dispatched', label: '处置中' },
  { key: 'handled', label: '待核查' },
  { key: 'suspended', label: '挂账' },
  { key: 'overdue', label: '已超期' },
];
export const caseColourKey = (c: { status: string; overdue: boolean }): CaseColourKey =>
  c.overdue ? 'overdue' : c.status in CASE_COLOURS ? (c.status as CaseColourKey) : 'filed';

/** Metres → "1.2 公里" / "850 米". */
export const distanceText = (metres: number) => (metres >= 1000 ? `${(metres / 1000).toFixed(1)} 公里` : `${Math.round(metres)} 米`);
/** Minutes → "2 小时 5 分" / "35 分钟". */
export const minutesText = (minutes: number) => {
  const m = Math.round(minutes);
  return m >= 60 ? `${Math.floor(m / 60)} 小时 ${m % 60} 分` : `${m} 分钟`;
};
