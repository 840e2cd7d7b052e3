import { wgs84ToBd09, wgs84ToGcj02 } from '../../shared/domain/geo/coordinates.ts';

/**
 * 导航: the case's place (WGS-84, as the API stores it) in 高德地图 and 百度地图 through their web URIs
 * (which open the installed app, or its web page): 高德 takes GCJ-02, 百度 BD-09 — each converted here.
 */
export function navigationLinks(point: { lat: number; lng: number }, name: string): { amap: string; baidu: string } {
  const gcj = wgs84ToGcj02(point.lat, point.lng);
  const bd = wgs84ToBd09(point.lat, point.lng);
  const f = (n: number) => n.toFixed(6);
  const label = encodeURIComponent(name.slice(0, 40));
  return {
    amap: `https://uri.amap.com/marker?position=${f(gcj.lng)},${f(gcj.lat)}&name=${label}&coordinate=gaode&callnative=1&src=citygrid`,
    baidu: `https://api.map.baidu.com/marker?location=${f(bd.lat)},${f(bd.lng)}&title=${label}&content=${label}&coord_type=bd09ll&output=html&src=citygrid`,
  };
}
