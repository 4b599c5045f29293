/**
 * `createMint()`: the whole mint (database, keysets, ledger, quotes, Lightning backend, HTTP + NUT-17) as one
 * object with `listen()` and `close()`, for the CLI, the UC's tests and benchmarks, and the demo launcher.
 * @module
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { openMintDb } from './db.js';
import { MintEvents, type SubscriptionKind } from './events.js';
import { installCors } from './http/cors.js';
import { type CacheOptions, installCachedResponses, nut19Info } from './http/cached-responses.js';
import { installErrorHandlers } from './http/errors.js';
import { type DleqTestMode, installDleqTestMode } from './http/dleq-test-mode.js';
import { mintRoutes } from './http/routes.js';
import { SubscriptionServer } from './http/ws.js';
import { Keysets } from './keysets.js';
import { Ledger } from './ledger.js';
import { FakeLightning, type FakeNetwork, type LightningBackend } from './lightning.js';
import { Melts } from './melts.js';
import { MintQuotes } from './quotes.js';

export interface MintOptions {
  /** SQLite file (created if missing); ':memory:' for a throw-away mint. */
  dbPath: string;
  /** Currency unit of the active keyset (default 'sat'); amounts are in its minor unit. */
  unit?: string;
  /** NUT-02 input fee in parts per thousand per input (default 0). */
  inputFeePpk?: number;
  /** Keyset amounts are 2^0 … 2^(maxOrder−1) (default 32). */
  maxOrder?: number;
  /** A real Lightning node; default: a FakeLightning configured by the `fake*` options. */
  lightning?: LightningBackend;
  /** FakeLightning: 'auto' (default) pays mint quotes itself, 'manual' waits for `payMintQuote()`. */
  fakePay?: 'auto' | 'manual';
  /** FakeLightning 'manual': the bearer token of `POST /admin/mint-quote/:quote/pay`; without it that route is absent. */
  adminToken?: string;
  /** FakeLightning 'auto': pay each mint quote this many ms after creation (default 0: at creation). */
  fakePayDelayMs?: number;
  /** FakeLightning: smallest fee reserve quoted on melts (default 2); what the routing fee leaves is NUT-08 change. */
  fakeFeeReserve?: number;
  /** FakeLightning: fee reserve as a percentage of the amount where that is more (default 1). */
  fakeFeeReservePercent?: number;
  /** FakeLightning: routing fee spent on each melt, at most its reserve (default 1). */
  fakeRoutingFee?: number;
  /** FakeLightning: a melt's payment takes this many ms (default 0). */
  fakeMeltDelayMs?: number;
  /** FakeLightning: the invoices' network (default 'regtest', `lnbcrt…`). */
  fakeNetwork?: FakeNetwork;
  /** Mint and melt amount limits (default 1 … 2^31−1). */
  minAmount?: number;
  maxAmount?: number;
  /** Lifetime of quotes and invoices (default 3600 s). */
  quoteTtlSeconds?: number;
  /** Per-request limits (NUT-03 11014/11015, default 1000 each). */
  maxInputs?: number;
  maxOutputs?: number;
  /** Unpaid mint quotes open at once (default 10,000); expired ones are dropped as new ones are asked for. */
  maxOpenQuotes?: number;
  /** NUT-19: how long, and how many bytes of, successful swap and mint answers are kept for a repeated request. */
  cachedResponses?: Partial<CacheOptions>;
  /** Largest accepted request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** NUT-17 WebSocket connections open at once (default 1000); an upgrade over it is answered 503. */
  maxWsConnections?: number;
  /** NUT-06 name and description. */
  name?: string;
  description?: string;
  /** Tests of wallets only: blind signatures go out without their DLEQ proof ('omit') or with a wrong one ('forge'). */
  dleqTestMode?: DleqTestMode;
  /** fastify logger option (default false: the mint logs nothing). */
  logger?: FastifyServerOptions['logger'];
}

export interface Mint {
  /** The fastify instance (routes registered, ready). `app.inject()` works without listening. */
  readonly app: FastifyInstance;
  /** Id of the active keyset. */
  readonly keysetId: string;
  readonly unit: string;
  /** Starts listening; resolves to the base URL, e.g. http://127.0.0.1:3338. Port 0 picks a free port. */
  listen(port?: number, host?: string): Promise<string>;
  /** FakeLightning in 'manual' mode: the invoice of mint quote `quoteId` is paid now (NUT-17 announces it). */
  payMintQuote(quoteId: string): void;
  /** Stops the server, WebSocket clients, backend timers and closes the database. */
  close(): Promise<void>;
}

export const MINT_VERSION = 'sipster-mint/0.1.0';

/** Opens the database and builds a ready mint. Close it with `close()`. */
export async function createMint(options: MintOptions): Promise<Mint> {
  const unit = options.unit ?? 'sat';
  const maxOrder = options.maxOrder ?? 32;
  const inputFeePpk = options.inputFeePpk ?? 0;
  if (!/^[a-z0-9_-]{1,32}$/.test(unit)) throw new RangeError('"unit" must match [a-z0-9_-]{1,32}');
  if (!Number.isInteger(inputFeePpk) || inputFeePpk < 0) throw new RangeError('"inputFeePpk" must be a non-negative integer');
  if (!Number.isInteger(maxOrder) || maxOrder < 1 || maxOrder > 52) throw new RangeError('"maxOrder" must be in 1..52');
  const fake =
    options.lightning === undefined
      ? new FakeLightning({
        pay: options.fakePay, delayMs: options.fakePayDelayMs, feeReserve: options.fakeFeeReserve,
        feeReservePercent: options.fakeFeeReservePercent, routingFee: options.fakeRoutingFee,
        payDelayMs: options.fakeMeltDelayMs, network: options.fakeNetwork,
      })
      : undefined;
  const backend = options.lightning ?? (fake as FakeLightning);
  const db = openMintDb(options.dbPath);
  const events = new MintEvents();
  let app: FastifyInstance | undefined;
  let subscriptions: SubscriptionServer | undefined;
  try {
    const keysets = new Keysets(db, { unit, inputFeePpk, maxOrder });
    const limits = { maxInputs: options.maxInputs ?? 1000, maxOutputs: options.maxOutputs ?? 1000 };
    const ledger = new Ledger(db, keysets, events, limits);
    const quoteLimits = {
      unit,
      minAmount: options.minAmount ?? 1,
      maxAmount: options.maxAmount ?? 2 ** 31 - 1,
      quoteTtlSeconds: options.quoteTtlSeconds ?? 3600,
      maxOpenQuotes: options.maxOpenQuotes ?? 10_000,
    };
    const quotes = new MintQuotes(ledger, backend, quoteLimits);
    const melts = new Melts(ledger, backend, quoteLimits);
    const cache = { ttlSeconds: options.cachedResponses?.ttlSeconds ?? 3600, maxBytes: options.cachedResponses?.maxBytes ?? 64 * 1024 * 1024 };
    const info = () => mintInfo(options, quoteLimits, cache);
    const current = (kind: SubscriptionKind, ids: readonly string[]): object[] => {
      if (kind === 'proof_state') return ledger.checkState(ids);
      const get = kind === 'bolt11_mint_quote' ? (id: string) => quotes.getMintQuote(id) : (id: string) => melts.getMeltQuote(id);
      return ids.flatMap((id) => {
        try {
          return [get(id)];
        } catch {
          return [];
        }
      });
    };
    const subs = new SubscriptionServer(events, current, options.maxWsConnections);
    subscriptions = subs;
    const server = Fastify({
      logger: options.logger ?? false,
      bodyLimit: options.bodyLimit ?? 1024 * 1024,
      ajv: { customOptions: { coerceTypes: false } },
    });
    app = server;
    installErrorHandlers(server);
    installCors(server);
    installCachedResponses(server, cache);
    if (options.dleqTestMode) installDleqTestMode(server, options.dleqTestMode);
    const payMintQuote = (quoteId: string): void => {
      if (fake === undefined) throw new Error('payMintQuote needs the FakeLightning backend');
      fake.settle(quotes.paymentHash(quoteId));
    };
    const admin = fake !== undefined && options.fakePay === 'manual' && options.adminToken !== undefined
      ? { payMintQuote, token: options.adminToken }
      : undefined;
    await server.register(mintRoutes, { ledger, quotes, melts, info, ...(admin ? { admin } : {}) });
    server.server.on('upgrade', (req, socket, head) => subs.handleUpgrade(req, socket, head));
    await server.ready();
    let closed = false;
    return {
      app: server,
      keysetId: keysets.active.id,
      unit,
      async listen(port = 3338, host = '127.0.0.1') {
        return server.listen({ port, host });
      },
      payMintQuote,
      async close() {
        if (closed) return;
        closed = true;
        subs.close();
        await server.close();
        await backend.close();
        db.close();
      },
    };
  } catch (e) {
    subscriptions?.close();
    await app?.close();
    await backend.close();
    db.close();
    throw e;
  }
}

function mintInfo(o: MintOptions, q: { unit: string; minAmount: number; maxAmount: number }, cache: CacheOptions): object {
  const method = { method: 'bolt11', unit: q.unit, min_amount: q.minAmount, max_amount: q.maxAmount };
  return {
    name: o.name ?? 'Sipster demo mint',
    version: MINT_VERSION,
    description: o.description ?? 'Cashu mint on a fake Lightning backend: no real money.',
    contact: [],
    time: Math.floor(Date.now() / 1000),
    nuts: {
      '4': { methods: [{ ...method, options: { description: true } }], disabled: false },
      '5': { methods: [method], disabled: false },
      '7': { supported: true },
      '8': { supported: true },
      '9': { supported: true },
      '10': { supported: true },
      '11': { supported: true },
      '12': { supported: true },
      '14': { supported: true },
      '17': { supported: [{ method: 'bolt11', unit: q.unit, commands: ['bolt11_mint_quote', 'bolt11_melt_quote', 'proof_state'] }] },
      '19': nut19Info(cache),
      '20': { supported: true },
    },
  };
}
