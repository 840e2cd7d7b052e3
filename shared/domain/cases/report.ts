import { ForbiddenError, NotFoundError, ValidationError } from '#shared/domain/errors';
import { toWgs84, type InputLocation } from '#shared/domain/geo/coordinates';
import type { Principal } from '#shared/domain/identity/model';
import { takeQuota } from '#shared/domain/quotas';
import { requireAttachable } from '#shared/domain/photos/use-cases';
import { counterDeltas } from './counters.ts';
import { hashBody, isReplayOf, REPORT_SCOPE, type IdempotencyRecord } from './idempotency.ts';
import type { CaseDeps } from './deps.ts';
import { isSupervisorReport, newReportedCase, type Channel, type ClientSubmission, type LocationSource } from './model.ts';
import { caseView } from './views.ts';

export interface ReportInput {
  description: string;
  /** Required of people (their route's schema says so); a client system may give only an address. */
  location?: InputLocation | undefined;
  address?: string | undefined;
  photoKeys?: string[] | undefined;
  categoryCode?: string | undefined;
  /** `video` (视频巡查): a supervisor reporting what a camera shows; the others are the citizen's apps. */
  channel?: 'app' | 'wechat' | 'video' | undefined;
  /** `video` only: the camera, from `GET /v1/cameras`; the case takes its place unless a location is given. */
  cameraId?: string | undefined;
  /** 定位方式 of a person's report; `gps` when not said. */
  locationSource?: LocationSource | undefined;
  /** What a client system passed about its user and the report (kept for staff, never shown publicly). */
  submission?: ClientSubmission | undefined;
}

/**
 * A registered client system reporting through an open interface (Open311 GeoReport v2), identified by
 * its API key: the case has no reporter account, and the timeline names the key.
 */
export interface ClientReporter {
  kind: 'client';
  channel: 'open311';
  /** The API key's id (never the key itself). */
  keyId: string;
  /** The API key's name, as an admin registered it (shown on the timeline). */
  name: string;
}

/** Who reports: a signed-in person (app, WeChat, patrol) or a client system. */
export type Reporter = Principal | ClientReporter;

const isClient = (reporter: Reporter): reporter is ClientReporter => 'kind' in reporter && reporter.kind === 'client';

/**
 * 信息收集 — report a problem (citizen: app/WeChat; supervisor: patrol; a client system: Open311).
 * 1. Replay an Idempotency-Key (per person, or per client's API key; idempotency.ts): same body → the
 *    first case; another body → 409. A retry racing the first request is answered the same way once the first has
 *    committed (its photo or quota check would fail on what the first took).
 * 2. Take the channel: a supervisor's report is `patrol` unless it says `video` (视频巡查, from a camera of
 *    the city's list, whose place is the case's unless a location is given); nobody else reports `video`.
 *    Locate the grid from the (WGS84-converted) location; check the category hint.
 * 3. Count a citizen's report quota (hour, day; 429 when full; patrol supervisors and clients exempt).
 * 4. Write the case, its `report` event and the day's `received` counter in one transaction.
 */
export async function reportCase(deps: CaseDeps, reporter: Reporter, input: ReportInput, idempotencyKey?: string) {
  const who = reporterFacts(reporter);
  const bodyHash = hashBody(input);
  const claim = idempotencyKey ? { callerId: who.callerId, scope: REPORT_SCOPE, key: idempotencyKey, bodyHash } : undefined;
  // A retry is answered from the first request's record before anything is checked again: its photos
  // are attached by now, and that must not turn the retry into a 400.
  if (claim) {
    const seen = await deps.store.getIdempotency(claim, { legacy: true });
    if (seen) return replay(deps, seen, bodyHash);
  }
  const camera = await cameraOf(deps, who, input);
  // People give a place (or a camera that has one); a client system may give only an address.
  if (!input.location && !camera && (!input.address || !isClient(reporter))) {
    throw new ValidationError('A location is required', [{ path: 'location', message: isClient(reporter) ? 'Give a location or an address' : 'Required' }], { id: 'report.location-required' });
  }
  const location = input.location ? toWgs84(input.location) : camera?.location;
  const [grids, categories] = await Promise.all([deps.reference.grids(), input.categoryCode ? deps.reference.categories() : undefined]);
  if (input.categoryCode && !categories?.has(input.categoryCode)) {
    throw new ValidationError('Unknown category', [{ path: 'categoryCode', message: `No category ${input.categoryCode}` }]);
  }
  const photoKeys = isClient(reporter) ? [] : (input.photoKeys ?? []);
  const at = deps.now();
  try {
    if (!isClient(reporter)) {
      await requireAttachable(deps.photos, reporter, photoKeys, 'before');
    }
    if (deps.quotas && !isClient(reporter)) await takeQuota(deps.quotas, 'report', reporter, at);
  } catch (error) {
    // A retry sent while the first request was still being written missed its record above; once the
    // first has committed, its photos are attached (and its report counted): answer its case instead.
    const seen = claim ? await deps.store.getIdempotency(claim, { legacy: true }) : undefined;
    if (seen) return replay(deps, seen, bodyHash);
    throw error;
  }
  const grid = location ? grids.locate(location.lat, location.lng) : undefined;
  const channel: Channel = input.channel === 'video' ? 'video' : (who.channel ?? input.channel ?? 'app');
  const category = input.categoryCode ? categories?.get(input.categoryCode) : undefined;
  const { case: c, event } = newReportedCase(
    {
      id: deps.newId(),
      channel,
      description: input.description,
      location,
      address: input.address,
      // A person's place: how they gave it (staff see it). A camera's place (视频巡查) and a client
      // system's are neither a position, a map pick nor a community chosen by name.
      ...(input.location && !isClient(reporter) && channel !== 'video' ? { locationSource: input.locationSource ?? 'gps' } : {}),
      gridId: grid?.id,
      gridName: grid?.name,
      district: grid?.district,
      categoryCode: category?.code,
      categoryName: category?.name,
      reporterId: who.reporterId,
      ...(camera ? { camera: { id: camera.id, name: camera.name } } : {}),
      beforePhotoKeys: photoKeys,
      ...(input.submission ? { submission: input.submission } : {}),
    },
    at,
    who.actor,
    who.note,
  );
  const outcome = await deps.store.createCase({
    case: c,
    event,
    counters: counterDeltas(c, at, {
      case: { received: 1 },
      // A supervisor's report (patrol or video) counts for them (position evaluation).
      ...(isSupervisorReport(c.channel) && c.reporterId ? { staff: [{ userId: c.reporterId, add: { reports: 1 } }] } : {}),
    }),
    ...(claim ? { idempotency: claim } : {}),
    ...(c.beforePhotoKeys.length && who.reporterId ? { attach: { photoKeys: c.beforePhotoKeys, ownerId: who.reporterId, kind: 'before' as const } } : {}),
    // A person's report commits only while their account is not cancelled: a cancelled account creates nothing.
    ...(who.reporterId ? { account: who.reporterId } : {}),
  });
  if (outcome.created) return caseView(c, 'reporter', at);
  return replay(deps, outcome.existing, bodyHash);
}

/**
 * 视频巡查: `channel: "video"` is a supervisor's (403 for anyone else, before any camera is looked up: a
 * reporter learns nothing about the cameras); `cameraId` goes with it and must be a camera of the city's
 * list (400 otherwise).
 */
async function cameraOf(deps: CaseDeps, who: ReturnType<typeof reporterFacts>, input: ReportInput) {
  if (input.channel === 'video' && who.channel !== 'patrol') {
    throw new ForbiddenError('Only supervisors report from video patrol (channel video)', { id: 'report.video-supervisors-only' });
  }
  if (input.cameraId === undefined) return undefined;
  if (input.channel !== 'video') {
    throw new ValidationError('cameraId goes with channel video', [{ path: 'cameraId', message: 'Only with channel "video"' }], { id: 'report.camera-without-video' });
  }
  const camera = (await deps.reference.cameras()).get(input.cameraId);
  if (!camera) throw new ValidationError('Unknown camera', [{ path: 'cameraId', message: `No camera ${input.cameraId}` }], { id: 'report.unknown-camera', params: { cameraId: input.cameraId } });
  return camera;
}

/** Who the case and its first event name, and whose Idempotency-Keys a retry is matched against. */
function reporterFacts(reporter: Reporter) {
  if (isClient(reporter)) {
    return {
      callerId: `api-key#${reporter.keyId}`,
      channel: reporter.channel,
      reporterId: undefined,
      actor: { id: `api-key:${reporter.keyId}`, role: 'system' as const, displayName: reporter.name },
      note: `Open311 · ${reporter.name}`,
    };
  }
  const isPatrol = reporter.roles.includes('supervisor') && !reporter.roles.includes('citizen');
  return {
    callerId: reporter.userId,
    channel: isPatrol ? ('patrol' as const) : undefined,
    reporterId: reporter.userId,
    actor: { id: reporter.userId, role: isPatrol ? ('supervisor' as const) : ('citizen' as const), displayName: reporter.displayName },
    note: undefined,
  };
}

/** The answer to a repeated Idempotency-Key: the first case for the same body, 409 for another. */
async function replay(deps: CaseDeps, seen: IdempotencyRecord, bodyHash: string) {
  isReplayOf(seen, { bodyHash });
  const first = await deps.store.getCase(seen.caseId);
  if (!first) throw new NotFoundError('The case of this Idempotency-Key no longer exists');
  return caseView(first, 'reporter', deps.now());
}

