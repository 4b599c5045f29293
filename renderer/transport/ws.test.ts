import { describe, expect, it } from 'vitest';
import type { Connection } from './transport.js';
import { socketUrl, wsTransport } from './ws.js';

class FakeSocket {
  readyState = 0;
  sent: string[] = [];
  onopen: ((e: Event) => void) | null = null;
  onclose: ((e: CloseEvent) => void) | null = null;
  onmessage: ((e: MessageEvent) => void) | null = null;
  send(text: string) { this.sent.push(text); }
  close() { this.onclose?.({} as CloseEvent); }
  receive(msg: unknown) { this.onmessage?.({ data: JSON.stringify(msg) } as MessageEvent); }
}

function setup() {
  const sock = new FakeSocket();
  const urls: string[] = [];
  const t = wsTransport('ws://127.0.0.1:1/api?secret=s', (u) => (urls.push(u), sock));
  return { sock, t, urls };
}

describe('browser-mode transport', () => {
  it('reads the secret from the fragment only', () => {
    expect(socketUrl({ protocol: 'http:', host: '127.0.0.1:4000', hash: '#secret=a%2Bb' })).toBe('ws://127.0.0.1:4000/api?secret=a%2Bb');
    expect(socketUrl({ protocol: 'http:', host: '127.0.0.1:4000', hash: '' })).toBeNull();
  });

  it('queues calls until open, then matches replies by id', async () => {
    const { sock, t } = setup();
    const status = t.api.getWallet();
    const topUp = t.api.topUp(5);
    expect(sock.sent).toEqual([]);
    sock.onopen?.({} as Event);
    expect(sock.sent.map((s) => JSON.parse(s))).toEqual([
      { id: 1, method: 'getWallet', args: [] },
      { id: 2, method: 'topUp', args: [5] },
    ]);
    sock.receive({ id: 2, reply: { ok: false, error: { code: 'mint-unreachable', message: 'no mint' } } });
    sock.receive({ id: 1, reply: { ok: true, value: { balance: 3 } } });
    expect(await status).toEqual({ ok: true, value: { balance: 3 } });
    expect(await topUp).toEqual({ ok: false, error: { code: 'mint-unreachable', message: 'no mint' } });
  });

  it('delivers events to subscribers until they unsubscribe', () => {
    const { sock, t } = setup();
    const seen: string[] = [];
    const off = t.onEvent((e) => seen.push(e.kind));
    sock.receive({ event: { kind: 'token-paid', period: 1 } });
    off();
    sock.receive({ event: { kind: 'token-paid', period: 1 } });
    expect(seen).toEqual(['token-paid']);
  });

  it('answers pending and later calls with an error once the socket is lost', async () => {
    const { sock, t } = setup();
    const states: Connection[] = [];
    t.onConnection((c) => states.push(c));
    sock.onopen?.({} as Event);
    const pending = t.api.listPeriods();
    t.close();
    expect(states).toEqual(['connecting', 'open', 'lost']);
    expect(await pending).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(await t.api.getStatus()).toMatchObject({ ok: false, error: { message: /Not connected/ } });
  });
});
