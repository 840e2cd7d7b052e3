import { ref, type Ref } from 'vue';
import type { CityPicture } from './picture';

/** A live message (`{ id, type, at, caseId?, caseNumber?, departmentId?, summary }`). */
export interface CityMessage {
  id: string;
  type: string;
  at: string;
  caseId?: string;
  caseNumber?: string;
  departmentId?: string;
  summary: string;
}

/** Polling period without a live channel. */
export const FAST_POLL_MS = 30_000;

/**
 * Live updates for the map and the wall. Until the console has its live channel this is polling only
 * (the picture refreshes every {@link FAST_POLL_MS}); `connected` stays false.
 */
export function useCityLive(picture: CityPicture, _onMessage?: (message: CityMessage) => void): { connected: Ref<boolean> } {
  picture.setInterval(FAST_POLL_MS);
  return { connected: ref(false) };
}
