/**
 * A camera of the city's video network (视频巡查): a supervisor at the command center reporting what a
 * camera shows picks it, and the case takes the camera's place. Cities keep the list in their city
 * folder (`cameras.csv`); WGS84 coordinates, as the grids.
 */
export interface Camera {
  id: string;
  name: string;
  location: { lat: number; lng: number };
}
