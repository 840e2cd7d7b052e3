import { ApiError, request } from './client';
import type { components } from './schema';

type Schemas = components['schemas'];

/** `GET /v1/staff/on-duty`: a person on duty now with their last place (WGS-84). */
export type OnDutyPerson = Schemas['OnDutyList']['items'][number];
/** `GET /v1/staff/{id}/track`: one local (Asia/Shanghai) day of a person. */
export type Track = Schemas['Track'];
/** `POST /v1/staff/{id}/roll-calls` → 201 `{ rollCall }` (点名). */
export interface RollCall {
  id: string;
  staffId: string;
  sentAt: string;
  dueAt: string;
  note?: string;
}

/** The people on duty now (a dispatcher: its department subtree). */
export const onDuty = async (departmentId?: string): Promise<OnDutyPerson[]> =>
  (await request<{ items: OnDutyPerson[] }>('/v1/staff/on-duty', { query: { departmentId } })).items;

/** A person's local day (`date` YYYY-MM-DD, default today). */
export const staffTrack = (id: string, date?: string) => request<Track>(`/v1/staff/${encodeURIComponent(id)}/track`, { query: { date } });

/**
 * 点名: the agent calls a person on duty, who must answer from inside their area. `undefined` when the
 * API has no roll calls (an older deployment answers 404 for the unknown path); other refusals throw.
 */
export async function callRoll(id: string, note?: string): Promise<RollCall | undefined> {
  try {
    return (await request<{ rollCall: RollCall }>(`/v1/staff/${encodeURIComponent(id)}/roll-calls`, { method: 'POST', body: note ? { note } : {} })).rollCall;
  } catch (error) {
    // An unknown path is the bare 404 (未找到); an unknown person has its own message.
    if (error instanceof ApiError && error.status === 404 && error.message === '未找到') return undefined;
    throw error;
  }
}
