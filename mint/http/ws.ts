/**
 * NUT-17 WebSocket subscriptions at `/v1/ws` (JSON-RPC 2.0): `subscribe` answers OK, then the current state
 * of every filter, then each change; `unsubscribe` stops it. Bounded per connection: subscriptions, filters,
 * message size; and in all: connections open at once (an upgrade over the cap is answered 503 with Retry-After,
 * before any handshake, so that idle sockets cannot hold the mint's memory and its notification loop).
 * @module
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { SUBSCRIPTION_KINDS, type MintEvent, type MintEvents, type SubscriptionKind } from '../events.js';

const MAX_SUBSCRIPTIONS = 100;
const MAX_FILTERS = 1000;
const MAX_MESSAGE_BYTES = 256 * 1024;
/** Connections open at once (default of `maxConnections`). */
export const MAX_CONNECTIONS = 1000;
const FULL_RETRY_AFTER_S = 30;

/** The current payloads of the objects named by `ids` (unknown ids are left out). */
export type CurrentState = (kind: SubscriptionKind, ids: readonly string[]) => object[];

interface Subscription {
  kind: SubscriptionKind;
  filters: Set<string>;
}

const RPC = { parse: -32700, invalidRequest: -32600, methodNotFound: -32601, invalidParams: -32602 } as const;

export class SubscriptionServer {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  private readonly connections = new Map<WebSocket, Map<string, Subscription>>();
  private readonly unlisten: () => void;
  /** Upgrades under way (handshake not finished): they count against the cap too. */
  private upgrading = 0;

  constructor(
    events: MintEvents,
    private readonly current: CurrentState,
    private readonly maxConnections = MAX_CONNECTIONS,
  ) {
    this.unlisten = events.on((e) => this.notify(e));
  }

  /** For the HTTP server's 'upgrade' event. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (new URL(req.url ?? '/', 'http://mint').pathname !== '/v1/ws') {
      socket.destroy();
      return;
    }
    if (this.connections.size + this.upgrading >= this.maxConnections) return refuseFull(socket);
    this.upgrading++;
    let counted = true;
    const settled = () => {
      if (counted) (counted = false), this.upgrading--;
    };
    socket.once('close', settled); // a handshake that fails never reaches the callback
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      settled();
      this.accept(ws);
    });
  }

  close(): void {
    this.unlisten();
    for (const ws of this.connections.keys()) ws.terminate();
    this.connections.clear();
    this.wss.close();
  }

  private accept(ws: WebSocket): void {
    const subs = new Map<string, Subscription>();
    this.connections.set(ws, subs);
    ws.on('close', () => this.connections.delete(ws));
    ws.on('error', () => ws.terminate());
    ws.on('message', (data) => this.onMessage(ws, subs, data.toString()));
  }

  private onMessage(ws: WebSocket, subs: Map<string, Subscription>, text: string): void {
    let msg: { id?: unknown; method?: unknown; params?: unknown };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      return this.error(ws, null, RPC.parse, 'parse error');
    }
    if (typeof msg !== 'object' || msg === null) return this.error(ws, null, RPC.invalidRequest, 'invalid request');
    const id = typeof msg.id === 'number' || typeof msg.id === 'string' ? msg.id : null;
    let params: { kind?: unknown; subId?: unknown; filters?: unknown };
    try {
      params = (typeof msg.params === 'string' ? JSON.parse(msg.params) : msg.params) as typeof params;
    } catch {
      return this.error(ws, id, RPC.invalidParams, 'invalid params');
    }
    if (typeof params !== 'object' || params === null || typeof params.subId !== 'string' || params.subId.length > 128) {
      return this.error(ws, id, RPC.invalidParams, 'invalid params');
    }
    const subId = params.subId;
    if (msg.method === 'unsubscribe') {
      if (!subs.delete(subId)) return this.error(ws, id, RPC.invalidParams, 'unknown subscription');
      return this.send(ws, { jsonrpc: '2.0', result: { status: 'OK', subId }, id });
    }
    if (msg.method !== 'subscribe') return this.error(ws, id, RPC.methodNotFound, 'method not found');
    const { kind, filters } = params;
    if (
      !SUBSCRIPTION_KINDS.includes(kind as SubscriptionKind) ||
      !Array.isArray(filters) ||
      filters.length === 0 ||
      filters.length > MAX_FILTERS ||
      !filters.every((f): f is string => typeof f === 'string' && f.length <= 128)
    ) {
      return this.error(ws, id, RPC.invalidParams, 'invalid params');
    }
    if (subs.size >= MAX_SUBSCRIPTIONS && !subs.has(subId)) {
      return this.error(ws, id, RPC.invalidParams, 'too many subscriptions');
    }
    subs.set(subId, { kind: kind as SubscriptionKind, filters: new Set(filters) });
    this.send(ws, { jsonrpc: '2.0', result: { status: 'OK', subId }, id });
    for (const payload of this.current(kind as SubscriptionKind, filters)) this.notification(ws, subId, payload);
  }

  private notify(e: MintEvent): void {
    for (const [ws, subs] of this.connections) {
      for (const [subId, sub] of subs) {
        if (sub.kind === e.kind && sub.filters.has(e.id)) this.notification(ws, subId, e.payload);
      }
    }
  }

  private notification(ws: WebSocket, subId: string, payload: object): void {
    this.send(ws, { jsonrpc: '2.0', method: 'subscribe', params: { subId, payload } });
  }

  private error(ws: WebSocket, id: number | string | null, code: number, message: string): void {
    this.send(ws, { jsonrpc: '2.0', error: { code, message }, id });
  }

  private send(ws: WebSocket, msg: object): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  }
}

/** The answer to an upgrade over the cap: a plain HTTP 503 the client's WebSocket library reports with its status. */
function refuseFull(socket: Duplex): void {
  const body = JSON.stringify({ detail: 'too many NUT-17 connections open at this mint; retry later' });
  socket.end(
    `HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: ${FULL_RETRY_AFTER_S}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
