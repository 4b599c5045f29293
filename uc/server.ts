/**
 * startUc: the UC's two servers (public API and admin API) over one ledger, as one closable value. The CLI, the
 * tests, the benchmark and the demo all start the UC through here.
 * @module
 */
import type { FastifyServerOptions } from 'fastify';
import { blstBackend } from '../curve-backends/index.js';
import type { CurveBackend, ReceiptKey } from '../protocol/index.js';
import { newServer, privateSerializers } from './http.js';
import { openLedger, type Ledger, type LedgerLocation } from './ledger/index.js';
import { MintLink } from './pay/mint-link.js';
import { RedemptionBatch, type BatchOptions, type BatchStats } from './pay/redemption-batch.js';
import { TokenBackoff, type BackoffOptions } from './pay/token-backoff.js';
import { defaultLimits, type Limits } from './limits/route-limits.js';
import { Registry } from './registry.js';
import { adminRoutes } from './routes/admin.js';
import { publicRoutes } from './routes/public.js';
import type { Tariff } from './schemas/public.js';

export interface UcOptions {
  ledger: LedgerLocation;
  receiptKey: ReceiptKey;
  mint: { url: string; unit: string };
  /** Published in /v1/params for the households' apps to show cost (docs/http-api.md). */
  tariff?: Tariff;
  adminToken: string;
  /** Public API; port 0 picks a free one. Host defaults to loopback: exposing the UC is an explicit choice. */
  host?: string;
  port?: number;
  adminHost?: string;
  adminPort?: number;
  /** fastify/pino logger options (false: silent). Request lines carry method, path and status only. */
  logger?: FastifyServerOptions['logger'];
  batch?: Partial<BatchOptions>;
  /** How long a token whose coin the mint refused is answered 429 (docs/http-api.md §Limits). */
  backoff?: Partial<BackoffOptions>;
  /** Per-route concurrency and per token / set / meter rates (docs/http-api.md §Limits). */
  limits?: Partial<Limits>;
  leaseMs?: number;
  waitMs?: number;
  registryTtlMs?: number;
  /** Curve backend for receipts and settlement checks (default: native blst). */
  backend?: CurveBackend;
}

export interface UcServer {
  url: string;
  adminUrl: string;
  ledger: Ledger;
  /** Coin redemption counters and time spent, for the benchmark's per-stage profile. */
  redemptionStats: BatchStats;
  close(): Promise<void>;
}

const PUBLIC_BODY_LIMIT = 16 * 1024;

export async function startUc(opts: UcOptions): Promise<UcServer> {
  const ledger = await openLedger(opts.ledger);
  // Whatever logger options come in, request lines go through the private serializers.
  const logger = opts.logger ? { ...(typeof opts.logger === 'object' ? opts.logger : {}), serializers: privateSerializers } : false;
  const pub = newServer({ logger, bodyLimit: PUBLIC_BODY_LIMIT });
  const admin = newServer({ logger, bodyLimit: PUBLIC_BODY_LIMIT });
  const registry = new Registry(ledger, opts.registryTtlMs);
  const mint = new MintLink(opts.mint.url, opts.mint.unit);
  const backoff = new TokenBackoff({ baseMs: 2_000, maxMs: 300_000, maxEntries: 100_000, ...opts.backoff });
  const redemptions = new RedemptionBatch(mint, ledger, { windowMs: 2, maxBatch: 64, maxInFlight: 1, maxIsolating: 4, timeoutMs: 10_000, ...opts.batch }, {
    ledgerFailure: (err, coins) => pub.log.error({ err, coins }, 'coins redeemed at the mint but the ledger did not record them'),
    coinRefused: (token) => backoff.refused(token),
  });
  const backend = opts.backend ?? blstBackend();
  try {
    await pub.register(publicRoutes, {
      ledger, registry, mint, redemptions, backoff, backend, limits: { ...defaultLimits, ...opts.limits }, receiptKey: opts.receiptKey, ...(opts.tariff ? { tariff: opts.tariff } : {}),
      leaseMs: opts.leaseMs ?? 60_000, waitMs: opts.waitMs ?? 5_000,
    });
    await admin.register(adminRoutes, { ledger, registry, adminToken: opts.adminToken, redemptionStats: redemptions.stats });
    await pub.listen({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0 });
    await admin.listen({ host: opts.adminHost ?? '127.0.0.1', port: opts.adminPort ?? 0 });
  } catch (err) {
    await Promise.allSettled([pub.close(), admin.close()]);
    await ledger.close();
    throw err;
  }
  const url = (app: typeof pub) => {
    const a = app.server.address() as { address: string; port: number; family: string };
    return `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
  };
  let closed: Promise<void> | undefined;
  return {
    url: url(pub),
    adminUrl: url(admin),
    ledger,
    redemptionStats: redemptions.stats,
    close: () => (closed ??= (async () => {
      await Promise.allSettled([pub.close(), admin.close()]);
      await redemptions.drain();
      await ledger.close();
    })()),
  };
}
