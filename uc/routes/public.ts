/**
 * The public API (docs/http-api.md): GET /v1/params, GET /v1/meters/:meter, POST /v1/pay, POST /v1/receipt,
 * POST /v1/settle, each within its limits (../limits/route-limits.ts).
 * @module
 */
import type { FastifyInstance } from 'fastify';
import { bytesToHex } from '../../protocol/index.js';
import { concurrencyCap, perKey, registerRateLimits, type Limits } from '../limits/route-limits.js';
import type { MintLink } from '../pay/mint-link.js';
import { payToken, type PayDeps } from '../pay/pay-token.js';
import { receiptOf } from '../pay/receipt.js';
import { ErrorReply, MeterParams, MeterReply, ParamsReply, PayBody, PayReply, ReceiptReply, SettleBody, SettleReply, type Tariff, TokenBody } from '../schemas/public.js';
import { HttpError } from '../errors.js';
import { settleBill, type SettleDeps } from '../settle.js';

export type PublicDeps = PayDeps & SettleDeps & { mint: MintLink; tariff?: Tariff; limits: Limits };

const errors = { 400: ErrorReply, 402: ErrorReply, 404: ErrorReply, 409: ErrorReply, 422: ErrorReply, 429: ErrorReply, 503: ErrorReply };

export async function publicRoutes(app: FastifyInstance, deps: PublicDeps): Promise<void> {
  const { limits } = deps;
  await registerRateLimits(app);
  const perToken = perKey(app, 'token', limits.perToken, limits.keys, (b: TokenBody) => `${b.set}:${b.period}:${b.token}`);
  const perSet = perKey(app, 'set', limits.perSet, limits.keys, (b: TokenBody) => String(b.set));
  const perMeter = perKey(app, 'meter', limits.perMeter, limits.keys, (b: SettleBody) => b.meter);

  app.get('/v1/params', { schema: { response: { 200: ParamsReply } } }, async (): Promise<ParamsReply> => {
    const { sets, sizes, openPeriods } = await deps.registry.snapshot();
    return {
      version: 1,
      receiptKey: { A1: bytesToHex(deps.receiptKey.A1), A2: bytesToHex(deps.receiptKey.A2) },
      sets: [...sets].map(([set, key]) => ({ set, tokenPublicKey: bytesToHex(key), size: sizes.get(set) ?? 0 })),
      mint: { url: deps.mint.url, unit: deps.mint.unit },
      openPeriods: [...openPeriods].sort((x, y) => x - y),
      ...(deps.tariff ? { tariff: deps.tariff } : {}),
    };
  });

  // Registration data the utility has anyway; the household asks once for its own meter, which it names at every settlement.
  app.get<{ Params: MeterParams }>('/v1/meters/:meter', { schema: { params: MeterParams, response: { 200: MeterReply, 400: ErrorReply, 404: ErrorReply } } }, async (req): Promise<MeterReply> => {
    const m = await deps.ledger.meter(req.params.meter);
    if (!m) throw new HttpError(404, 'unknown-meter', `meter ${req.params.meter} is not registered`);
    return { meter: m.meter, billPublicKey: bytesToHex(m.billPublicKey), set: m.set };
  });

  app.post<{ Body: PayBody }>('/v1/pay', {
    schema: { body: PayBody, response: { 200: PayReply, ...errors } },
    ...concurrencyCap(limits.concurrency.pay),
    preHandler: [perSet, perToken],
  }, (req) => payToken(deps, req.body));

  app.post<{ Body: TokenBody }>('/v1/receipt', {
    schema: { body: TokenBody, response: { 200: ReceiptReply, ...errors } },
    ...concurrencyCap(limits.concurrency.receipt),
    preHandler: [perSet, perToken],
  }, (req) => receiptOf(deps, req.body));

  app.post<{ Body: SettleBody }>('/v1/settle', {
    schema: { body: SettleBody, response: { 200: SettleReply, ...errors } },
    ...concurrencyCap(limits.concurrency.settle),
    preHandler: [perMeter],
  }, (req) => settleBill(deps, req.body));
}
