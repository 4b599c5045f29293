/**
 * Browser mode: the same BridgedApi as Electron's preload, built from a Proxy over one WebSocket (VS Code's
 * ProxyChannel.toService). It needs only the API's types. The per-launch secret arrives in the page's URL fragment
 * (never sent in an HTTP request) and goes to the host in the socket's URL; the host refuses any other origin or secret.
 * @module
 */
import type { BridgedApi, EngineEvent, Reply, WireCall, WireMessage } from '../../main/api/index.js';
import type { Connection, Transport } from './transport.js';

type Socket = Pick<WebSocket, 'send' | 'close' | 'readyState'> & {
  onopen: ((e: Event) => void) | null;
  onclose: ((e: CloseEvent) => void) | null;
  onmessage: ((e: MessageEvent) => void) | null;
};

const lost = (message: string): Reply<never> => ({ ok: false, error: { code: 'internal', message } });

/** The socket URL for a page at `location`, or null when the fragment holds no secret. */
export function socketUrl(location: { protocol: string; host: string; hash: string }): string | null {
  const secret = new URLSearchParams(location.hash.replace(/^#/, '')).get('secret');
  if (!secret) return null;
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api?secret=${encodeURIComponent(secret)}`;
}

export function wsTransport(url: string, open: (url: string) => Socket = (u) => new WebSocket(u)): Transport {
  const pending = new Map<number, (r: Reply<unknown>) => void>();
  const outbox: string[] = [];
  const events = new Set<(e: EngineEvent) => void>();
  const watchers = new Set<(c: Connection) => void>();
  let connection: Connection = 'connecting';
  let nextId = 1;
  const setConnection = (c: Connection) => {
    connection = c;
    for (const w of watchers) w(c);
  };

  const socket = open(url);
  socket.onopen = () => {
    setConnection('open');
    for (const m of outbox.splice(0)) socket.send(m);
  };
  socket.onclose = () => {
    setConnection('lost');
    for (const [id, resolve] of pending) {
      pending.delete(id);
      resolve(lost('The connection to the engine was lost. Restart Sipster Home.'));
    }
  };
  socket.onmessage = (e) => {
    const msg = JSON.parse(String(e.data)) as WireMessage;
    if ('event' in msg) for (const l of events) l(msg.event);
    else {
      pending.get(msg.id)?.(msg.reply as Reply<unknown>);
      pending.delete(msg.id);
    }
  };

  const call = (method: keyof BridgedApi, args: unknown[]): Promise<Reply<unknown>> => {
    if (connection === 'lost') return Promise.resolve(lost('Not connected to the engine. Restart Sipster Home.'));
    const id = nextId++;
    const text = JSON.stringify({ id, method, args } satisfies WireCall);
    return new Promise((resolve) => {
      pending.set(id, resolve);
      if (connection === 'open') socket.send(text);
      else outbox.push(text);
    });
  };

  const api = new Proxy({} as BridgedApi, {
    get: (_, method) => (typeof method === 'string' ? (...args: unknown[]) => call(method as keyof BridgedApi, args) : undefined),
  });

  return {
    api,
    onEvent: (l) => (events.add(l), () => events.delete(l)),
    onConnection: (l) => {
      watchers.add(l);
      l(connection);
      return () => watchers.delete(l);
    },
    close: () => socket.close(),
  };
}
