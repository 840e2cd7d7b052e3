import { recheckConnections } from '#shared/domain/live/use-cases';
import { logger } from '#shared/observability/logger';
import { getLiveDeps } from '#shared/wiring/live';

/**
 * 会话复查 — every minute (an EventBridge schedule; locally the platform's timer): every open socket's
 * session and account are read as they are now, and sockets whose session ended, whose account was
 * disabled or whose roles changed are closed.
 */
export async function handler(): Promise<{ checked: number; closed: number }> {
  const result = await recheckConnections(getLiveDeps());
  if (result.closed > 0) logger.info('live sockets closed by the re-check', result);
  return result;
}
