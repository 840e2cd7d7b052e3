import type { SocketSender } from '#shared/domain/live/use-cases';

/**
 * The sockets API Gateway holds, through its management API (`@aws-sdk/client-apigatewaymanagementapi`,
 * loaded on the first send so the functions that never send do not pay for it). A 410 GoneException is
 * a socket that no longer exists.
 */
export function apiGatewaySockets(endpoint: string, region: string): SocketSender {
  let client: Promise<{ send: (connectionId: string, data: string) => Promise<void>; close: (connectionId: string) => Promise<void> }> | undefined;
  const load = () =>
    (client ??= import('@aws-sdk/client-apigatewaymanagementapi').then(({ ApiGatewayManagementApiClient, PostToConnectionCommand, DeleteConnectionCommand }) => {
      const api = new ApiGatewayManagementApiClient({ endpoint, region });
      return {
        send: async (ConnectionId: string, data: string) => void (await api.send(new PostToConnectionCommand({ ConnectionId, Data: new TextEncoder().encode(data) }))),
        close: async (ConnectionId: string) => void (await api.send(new DeleteConnectionCommand({ ConnectionId }))),
      };
    }));
  const isGone = (error: unknown) => (error as { name?: string; $metadata?: { httpStatusCode?: number } }).name === 'GoneException' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 410;
  return {
    async send(connectionId, data) {
      try {
        await (await load()).send(connectionId, data);
        return 'sent';
      } catch (error) {
        if (isGone(error)) return 'gone';
        throw error;
      }
    },
    async close(connectionId) {
      try {
        await (await load()).close(connectionId);
      } catch (error) {
        if (!isGone(error)) throw error;
      }
    },
  };
}

/** What the local platform's `ws` server registers for each open socket. */
export interface LocalSocket {
  send(data: string): Promise<void>;
  close(code: number, reason: string): void;
}

/**
 * The local platform's sockets by connection id: its `ws` server (infra/local/live-sockets.ts) adds and
 * removes them; the handlers, run in the same process, send through {@link localSockets} exactly as they
 * send through API Gateway in the cloud. Kept on `globalThis`: one registry per process, however the
 * modules were loaded (the test runner's loader and Node's may each load this file).
 */
export const LOCAL_SOCKETS: Map<string, LocalSocket> = ((globalThis as { __citygridLiveSockets?: Map<string, LocalSocket> }).__citygridLiveSockets ??= new Map());

export function localSockets(registry: Map<string, LocalSocket> = LOCAL_SOCKETS): SocketSender {
  return {
    async send(connectionId, data) {
      const socket = registry.get(connectionId);
      if (!socket) return 'gone';
      await socket.send(data);
      return 'sent';
    },
    async close(connectionId) {
      // 4401: the session behind the socket ended (the console logs in again rather than reconnecting).
      registry.get(connectionId)?.close(4401, 'session ended');
    },
  };
}
