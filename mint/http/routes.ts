/**
 * The NUT HTTP API as a fastify plugin: keys and keysets (NUT-01/02), info (06), swap (03), bolt11 mint and
 * melt (04/05/23, with 08 change and 20 signatures), checkstate (07), restore (09). Bodies are validated by
 * TypeBox schemas; every refusal is a 4xx `{ detail, code }` (NUT-00).
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Keyset, Keysets } from '../keysets.js';
import type { Ledger } from '../ledger.js';
import type { Melts } from '../melts.js';
import type { MintQuotes } from '../quotes.js';
import {
  CheckStateBody,
  KeysetParams,
  MeltBody,
  MeltQuoteBody,
  MintBody,
  MintQuoteBody,
  QuoteParams,
  RestoreBody,
  SwapBody,
} from './schemas.js';

export interface RouteDeps {
  ledger: Ledger;
  quotes: MintQuotes;
  melts: Melts;
  info: () => object;
  /** FakeLightning manual mode: pays a mint quote's invoice, for a caller with the admin token. */
  admin?: { payMintQuote: (quoteId: string) => void; token: string };
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export const mintRoutes: FastifyPluginAsync<RouteDeps> = async (fastify, { ledger, quotes, melts, info, admin }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const keysets: Keysets = ledger.keysets;

  app.get('/v1/info', async () => info());
  app.get('/v1/keys', async () => ({ keysets: keysets.all().filter((k) => k.active).map(keysWire) }));
  app.get('/v1/keys/:keyset_id', { schema: { params: KeysetParams } }, async (req) => ({
    keysets: [keysWire(keysets.get(req.params.keyset_id))],
  }));
  app.get('/v1/keysets', async () => ({
    keysets: keysets.all().map((k) => {
      const { keys: _keys, ...rest } = keysWire(k);
      return rest;
    }),
  }));

  app.post('/v1/swap', { schema: { body: SwapBody } }, async (req) => ({
    signatures: ledger.swap(req.body.inputs, req.body.outputs),
  }));
  app.post('/v1/checkstate', { schema: { body: CheckStateBody } }, async (req) => ({
    states: ledger.checkState(req.body.Ys.map((y) => y.toLowerCase())),
  }));
  app.post('/v1/restore', { schema: { body: RestoreBody } }, async (req) => ledger.restore(req.body.outputs));

  app.post('/v1/mint/quote/bolt11', { schema: { body: MintQuoteBody } }, async (req) => quotes.createMintQuote(req.body));
  app.get('/v1/mint/quote/bolt11/:quote_id', { schema: { params: QuoteParams } }, async (req) =>
    quotes.getMintQuote(req.params.quote_id),
  );
  app.post('/v1/mint/bolt11', { schema: { body: MintBody } }, async (req) => ({ signatures: quotes.mint(req.body) }));

  app.post('/v1/melt/quote/bolt11', { schema: { body: MeltQuoteBody } }, async (req) => melts.createMeltQuote(req.body));
  app.get('/v1/melt/quote/bolt11/:quote_id', { schema: { params: QuoteParams } }, async (req) =>
    melts.getMeltQuote(req.params.quote_id),
  );
  app.post('/v1/melt/bolt11', { schema: { body: MeltBody } }, async (req) => melts.melt(req.body));

  if (admin) {
    // The bearer token decides, not the source address (a local relay or Tor would make every caller loopback). A JSON
    // body is required too, so that a cross-site form cannot post here (JSON needs a preflight, which fails).
    const expected = digest(`Bearer ${admin.token}`);
    const schema = { params: QuoteParams, body: Type.Object({}) };
    app.post('/admin/mint-quote/:quote_id/pay', { schema }, async (req, reply) => {
      // Digests compared: equal length, constant time, whatever was sent.
      if (!timingSafeEqual(digest(req.headers.authorization ?? ''), expected)) return reply.status(401).send({ detail: 'missing or wrong admin token', code: 10000 });
      admin.payMintQuote(req.params.quote_id);
      return quotes.getMintQuote(req.params.quote_id);
    });
  }
};

function keysWire(k: Keyset) {
  return { id: k.id, unit: k.unit, active: k.active, input_fee_ppk: k.params.inputFeePpk, final_expiry: null, keys: k.publicKeys };
}
