import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { UnauthenticatedError } from '#shared/domain/errors';
import { closeConnection, openConnection } from '#shared/domain/live/use-cases';
import { errorResponse } from '#shared/http/error-mapper';
import { negotiateLanguage } from '#shared/http/messages';
import { logger } from '#shared/observability/logger';
import * as z from '#shared/validation/zod';
import { getLiveDeps } from '#shared/wiring/live';

/** What the three routes of the WebSocket API send (`$connect` carries the query string). */
const SocketEvent = z.object({
  requestContext: z.object({ connectionId: z.string().check(z.minLength(1)), eventType: z.enum(['CONNECT', 'MESSAGE', 'DISCONNECT']), requestId: z.optional(z.string()) }),
  queryStringParameters: z.optional(z.nullable(z.object({ ticket: z.optional(z.string().check(z.maxLength(200))) }))),
  headers: z.optional(z.nullable(z.record(z.string(), z.string()))),
});

/**
 * The live WebSocket's `$connect`, `$disconnect` and `$default` routes (one function: API Gateway in the
 * cloud, the local gateway's `ws` server locally). `$connect` takes the ticket (401 refuses the upgrade);
 * messages from the console (its keep-alive pings) are answered with nothing.
 */
export async function handler(raw: unknown): Promise<APIGatewayProxyResultV2> {
  const parsed = SocketEvent.safeParse(raw);
  if (!parsed.success) return { statusCode: 400 };
  const { requestContext, queryStringParameters, headers } = parsed.data;
  switch (requestContext.eventType) {
    case 'CONNECT':
      try {
        const connection = await openConnection(getLiveDeps(), requestContext.connectionId, queryStringParameters?.ticket);
        logger.info('live socket opened', { connectionId: connection.connectionId, userId: connection.userId });
        return { statusCode: 200 };
      } catch (error) {
        if (!(error instanceof UnauthenticatedError)) logger.error('live socket not opened', { error: (error as Error).name });
        return errorResponse(error, requestContext.requestId ?? requestContext.connectionId, negotiateLanguage(headers?.['accept-language'] ?? headers?.['Accept-Language']));
      }
    case 'DISCONNECT':
      await closeConnection(getLiveDeps(), requestContext.connectionId);
      return { statusCode: 200 };
    case 'MESSAGE':
      return { statusCode: 200 };
  }
}
