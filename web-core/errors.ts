/** One field the API found wrong (`details` of a 400). */
export interface FieldIssue {
  path: string;
  message: string;
}

/** What a 412 PRECONDITION_FAILED answers in `details`: the stored version, when and by whom it was written. */
export interface StaleVersion {
  currentVersion?: number;
  updatedAt?: string;
  updatedBy?: { id: string; displayName: string };
}

/** An error answer of the API: `{ error: { code, message, details } }`, plus `Retry-After` on 409/429/503. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldIssue[] = [],
    readonly retryAfterSeconds?: number,
    /** A 412 PRECONDITION_FAILED's details: the stored version, when and by whom it was written. */
    readonly stale?: StaleVersion,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** No answer at all: offline, DNS, a dropped 4G connection. */
export class OfflineError extends Error {
  constructor() {
    super('网络不可用，请检查网络连接后重试');
    this.name = 'OfflineError';
  }
}

/** The session is over (expired with no working refresh): the app goes back to the login. */
export class SessionEndedError extends Error {
  constructor() {
    super('登录已过期，请重新登录');
    this.name = 'SessionEndedError';
  }
}

/** The error an answer carries (the contract's shape; a proxy's page gives the status alone). */
export async function toApiError(response: Response): Promise<ApiError> {
  let body: { error?: { code?: string; message?: string; details?: FieldIssue[] | StaleVersion } } = {};
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  const retryAfter = Number(response.headers.get('retry-after'));
  return new ApiError(
    response.status,
    body.error?.code ?? `HTTP_${response.status}`,
    body.error?.message ?? (response.statusText || `请求失败（${response.status}）`),
    Array.isArray(body.error?.details) ? body.error.details : [],
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    response.status === 412 ? { ...(body.error?.details && !Array.isArray(body.error.details) ? body.error.details : {}) } : undefined,
  );
}

/** "3 秒" / "2 分钟" / "1 小时 5 分钟" for a Retry-After. */
export function waitText(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} 秒`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} 分钟`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} 小时 ${minutes % 60} 分钟` : `${hours} 小时`;
}

export const hasChinese = (text: string) => /[\u4e00-\u9fff]/.test(text);
