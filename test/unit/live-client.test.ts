import { describe, expect, it } from 'vitest';
import { backoffMs, createLiveClient, SESSION_ENDED_CODE, type LiveMessage, type WebSocketLike } from '../../console/src/live/client.ts';

/** A WebSocket the test drives: `open()`, `receive()`, `drop()`. */
class FakeSocket implements WebSocketLike {
  static made: FakeSocket[] = [];
  readyState = 0;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  sent: string[] = [];
  constructor(readonly url: string) {
    FakeSocket.made.push(this);
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(message: LiveMessage) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
  }
}

const msg = (n: number, type: LiveMessage['type'] = 'case.reported'): LiveMessage => ({ id: `${String(n).padStart(9, '0')}-${'a'.repeat(12)}`, type, at: '2026-12-07T23:00:00Z', summary: `第 ${n} 条` });
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup(missed: LiveMessage[] = []) {
  FakeSocket.made = [];
  const timers: Array<{ fn: () => void; ms: number }> = [];
  const asked: string[] = [];
  let tickets = 0;
  const client = createLiveClient({
    ticket: async () => ({ url: 'ws://local/live', ticket: `t${++tickets}` }),
    missed: async (since) => {
      asked.push(since);
      return { items: missed };
    },
    WebSocket: FakeSocket,
    setTimeout: (fn, ms) => timers.push({ fn, ms }),
    clearTimeout: () => undefined,
    random: () => 0,
  });
  const got: LiveMessage[] = [];
  client.on('*', (m) => got.push(m));
  return { client, timers, asked, got, socket: () => FakeSocket.made.at(-1)! };
}

describe('the console\'s live client', () => {
  it('opens the socket with a fresh ticket and hands on each message once, by type and to `*`', async () => {
    const { client, got, socket } = setup();
    const reports: string[] = [];
    client.on('case.reported', (m) => reports.push(m.id));
    client.start();
    await tick();
    expect(socket().url).toBe('ws://local/live?ticket=t1');
    socket().open();
    socket().receive(msg(1));
    socket().receive(msg(1)); // a repeat
    socket().receive(msg(2, 'case.closed'));
    expect(got.map((m) => m.summary)).toEqual(['第 1 条', '第 2 条']);
    expect(reports).toEqual([msg(1).id]);
    expect(client.status()).toBe('open');
  });

  it('reconnects after a drop with backoff and catches up with missed?since= the last id, dropping repeats', async () => {
    const { client, timers, asked, got, socket } = setup([msg(2), msg(3), msg(4)]);
    client.start();
    await tick();
    socket().open();
    socket().receive(msg(1));
    socket().receive(msg(2));
    socket().drop();
    expect(client.status()).toBe('waiting');
    expect(timers.at(-1)!.ms).toBe(backoffMs(0, 0));
    timers.at(-1)!.fn();
    await tick();
    expect(socket().url).toBe('ws://local/live?ticket=t2'); // a ticket works once: a new one per socket
    socket().open();
    await tick();
    expect(asked).toEqual([msg(2).id]);
    expect(got.map((m) => m.id)).toEqual([1, 2, 3, 4].map((n) => msg(n).id));
  });

  it('stops for good when the server closes the socket because the session ended', async () => {
    const { client, timers, socket } = setup();
    client.start();
    await tick();
    socket().open();
    const before = timers.length;
    socket().drop(SESSION_ENDED_CODE);
    expect(client.status()).toBe('ended');
    expect(timers.length).toBe(before);
  });

  it('waits longer after each failed attempt, up to 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 9].map((n) => backoffMs(n, 0))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(backoffMs(0, 1)).toBe(1500);
  });
});
