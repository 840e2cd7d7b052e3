import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { LOCAL_SOCKETS } from '#shared/adapters/live-sockets';
import { loadHandler } from './handlers.ts';

/** The live channel's path on the gateway's port: the same as the cloud's WebSocket stage (`/live`). */
export const LIVE_SOCKET_PATH = '/live';
const SOCKET_HANDLER = 'functions/live/socket.ts';

type SocketResult = { statusCode?: number; body?: string; headers?: Record<string, unknown> } | string | undefined;

export interface LocalLiveSocketsOptions {
  repoRoot: string;
  /** How often every socket's session is re-checked (functions/live/recheck.ts), in ms. */
  recheckMs: number;
}

/**
 * The local stand-in for the API Gateway WebSocket API: upgrades on `/live` of the gateway's server run
 * the SAME handler module as the cloud's `$connect`/`$disconnect`/`$default` routes (in-process, as the
 * gateway runs the HTTP functions), and the handlers send to sockets through the registry of
 * `shared/adapters/live-sockets.ts`, which this server fills — the management API's local twin. A timer
 * plays the cloud's once-a-minute re-check schedule.
 */
export function attachLiveSockets(server: Server, options: LocalLiveSocketsOptions) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 32 * 1024 });
  const socketHandler = () => loadHandler<unknown, SocketResult>(options.repoRoot, SOCKET_HANDLER);
  const event = (connectionId: string, eventType: 'CONNECT' | 'MESSAGE' | 'DISCONNECT', req?: IncomingMessage, body?: string) => {
    const url = new URL(req?.url ?? '/', 'http://localhost');
    return {
      requestContext: { connectionId, eventType, routeKey: eventType === 'CONNECT' ? '$connect' : eventType === 'DISCONNECT' ? '$disconnect' : '$default', requestId: randomBytes(8).toString('hex'), stage: 'live' },
      ...(eventType === 'CONNECT' ? { queryStringParameters: Object.fromEntries(url.searchParams), headers: { 'accept-language': String(req?.headers['accept-language'] ?? '') } } : {}),
      ...(body !== undefined ? { body } : {}),
      isBase64Encoded: false,
    };
  };

  const upgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== LIVE_SOCKET_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    // API Gateway's connection ids are opaque; base64url of random bytes stands in.
    const connectionId = randomBytes(12).toString('base64url');
    // Messages sent between `$connect` storing the connection and the upgrade finishing wait here.
    const early: string[] = [];
    let open: WebSocket | undefined;
    LOCAL_SOCKETS.set(connectionId, {
      send: async (data) => {
        if (!open) early.push(data);
        else await new Promise<void>((done, fail) => open!.send(data, (error) => (error ? fail(error) : done())));
      },
      close: (code, reason) => open?.close(code, reason),
    });
    let result: SocketResult;
    try {
      result = await (await socketHandler())(event(connectionId, 'CONNECT', req));
    } catch (error) {
      console.error('[live] $connect failed', error);
      result = { statusCode: 500 };
    }
    const status = typeof result === 'object' && result ? (result.statusCode ?? 200) : 200;
    if (status !== 200) {
      LOCAL_SOCKETS.delete(connectionId);
      const body = typeof result === 'object' && result?.body ? result.body : '';
      socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Refused'}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      open = ws;
      for (const data of early.splice(0)) ws.send(data);
      ws.on('message', (data) => void socketHandler().then((h) => h(event(connectionId, 'MESSAGE', undefined, String(data)))).catch(() => undefined));
      ws.on('close', () => {
        LOCAL_SOCKETS.delete(connectionId);
        void socketHandler()
          .then((h) => h(event(connectionId, 'DISCONNECT')))
          .catch((error: Error) => console.error('[live] $disconnect failed', error.message));
      });
    });
  };
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => void upgrade(req, socket, head).catch(() => socket.destroy());
  server.on('upgrade', onUpgrade);

  let rechecking: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    rechecking = loadHandler<unknown, unknown>(options.repoRoot, 'functions/live/recheck.ts')
      .then((recheck) => recheck({}))
      .catch((error: Error) => console.error('[live] re-check failed', error.message));
  }, options.recheckMs);
  timer.unref();

  return {
    /** Open sockets now (the bench and tests read it). */
    count: () => wss.clients.size,
    async stop() {
      clearInterval(timer);
      server.off('upgrade', onUpgrade);
      await rechecking;
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((done) => wss.close(() => done()));
    },
  };
}
