/**
 * The admin API (docs/http-api.md §Admin API), on its own port, loopback by default, every route behind the bearer
 * token: register anonymity sets and meters, open and close periods, drop a period's paid tokens after its dispute
 * window, list who has (not) settled a period, export the settled list as CSV, see the UC's e-cash balance.
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { bytesToHex, DecodeError, hexToBytes, p256PublicKeyCheck } from '../../protocol/index.js';
import { HttpError } from '../errors.js';
import { LedgerError, type Ledger } from '../ledger/index.js';
import type { BatchStats } from '../pay/redemption-batch.js';
import type { Registry } from '../registry.js';
import { MeterBody, PeriodBody, PeriodParams, SetBody, SettlementsQuery } from '../schemas/admin.js';

export interface AdminDeps {
  ledger: Ledger;
  registry: Registry;
  adminToken: string;
  /** This process's coin redemption counters, for `/admin/v1/metrics`. */
  redemptionStats: BatchStats;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

function publicKey(hex: string, field: string): Uint8Array {
  const key = hexToBytes(hex, 33);
  try {
    p256PublicKeyCheck(key);
  } catch (err) {
    if (err instanceof DecodeError) throw new HttpError(400, 'bad-request', `${field} is not a P-256 public key`);
    throw err;
  }
  return key;
}

function period(params: PeriodParams): number {
  const t = Number(params.period);
  if (t > 0xffffffff) throw new HttpError(400, 'bad-request', 'period is a uint32');
  return t;
}

/** Ledger refusals become their HTTP answers. */
async function ledgerCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof LedgerError)) throw err;
    if (err.code === 'unknown-set') throw new HttpError(404, 'unknown-set', err.message);
    if (err.code === 'period-not-closed') throw new HttpError(409, 'period-not-closed', err.message);
    throw new HttpError(409, 'conflict', err.message);
  }
}

export async function adminRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  const expected = digest(`Bearer ${deps.adminToken}`);
  app.addHook('onRequest', async (req) => {
    // Compare digests: equal length, constant time, whatever was sent.
    if (!timingSafeEqual(digest(req.headers.authorization ?? ''), expected))
      throw new HttpError(401, 'unauthorized', 'missing or wrong bearer token');
  });
  const { ledger, registry } = deps;

  app.get('/admin/v1/sets', async () =>
    (await ledger.sets()).map((s) => ({ set: s.set, tokenPublicKey: bytesToHex(s.tokenPublicKey) })),
  );
  app.post<{ Body: SetBody }>('/admin/v1/sets', { schema: { body: SetBody } }, async (req, reply) => {
    await ledgerCall(() => ledger.addSet({ set: req.body.set, tokenPublicKey: publicKey(req.body.tokenPublicKey, 'tokenPublicKey') }));
    registry.invalidate();
    return reply.code(201).send({ set: req.body.set });
  });

  app.get('/admin/v1/meters', async () =>
    (await ledger.meters()).map((m) => ({ meter: m.meter, billPublicKey: bytesToHex(m.billPublicKey), set: m.set })),
  );
  app.post<{ Body: MeterBody }>('/admin/v1/meters', { schema: { body: MeterBody } }, async (req, reply) => {
    const billPublicKey = publicKey(req.body.billPublicKey, 'billPublicKey');
    await ledgerCall(() => ledger.addMeter({ meter: req.body.meter, billPublicKey, set: req.body.set }));
    registry.invalidate(); // the set's size in /v1/params
    return reply.code(201).send({ meter: req.body.meter });
  });

  app.get('/admin/v1/periods', () => ledger.periods());
  app.put<{ Params: PeriodParams; Body: PeriodBody }>(
    '/admin/v1/periods/:period',
    { schema: { params: PeriodParams, body: PeriodBody } },
    async (req) => {
      const t = period(req.params);
      if (req.body.state === 'open') await ledger.openPeriod(t);
      else await ledger.closePeriod(t);
      registry.invalidate();
      return { period: t, state: req.body.state };
    },
  );
  app.delete<{ Params: PeriodParams }>('/admin/v1/periods/:period/paid-tokens', { schema: { params: PeriodParams } }, async (req) => {
    const t = period(req.params);
    return { period: t, dropped: await ledgerCall(() => ledger.dropPaidTokens(t)) };
  });

  app.get<{ Params: PeriodParams; Querystring: SettlementsQuery }>(
    '/admin/v1/periods/:period/settlements',
    { schema: { params: PeriodParams, querystring: SettlementsQuery } },
    async (req) => {
      const rows = await ledger.settlements(period(req.params));
      const want = req.query.status;
      return want ? rows.filter((r) => r.settled === (want === 'settled')) : rows;
    },
  );
  app.get<{ Params: PeriodParams }>('/admin/v1/periods/:period/settled.csv', { schema: { params: PeriodParams } }, async (req, reply) => {
    const t = period(req.params);
    const rows = (await ledger.settlements(t)).filter((r) => r.settled);
    // Meter IDs are [A-Za-z0-9._-]: nothing to quote.
    const csv = ['meter,period,fault', ...rows.map((r) => `${r.meter},${t},${r.fault ? 1 : 0}`)].join('\r\n') + '\r\n';
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="settled-${t}.csv"`).send(csv);
  });

  app.get('/admin/v1/wallet', () => ledger.walletBalance());
  // One process's own counters (each UC process of a deployment answers for itself): what an operator graphs.
  app.get('/admin/v1/metrics', () => {
    const cpu = process.cpuUsage();
    return { cpuMs: { user: cpu.user / 1000, system: cpu.system / 1000 }, redemptions: deps.redemptionStats };
  });
}
