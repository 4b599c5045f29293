/**
 * TypeBox schemas of the NUT request bodies and path parameters. They bound every string and array so that
 * validation work stays small; the ledger enforces the finer limits with NUT error codes (11014, 11015).
 * @module
 */
import { Type } from '@sinclair/typebox';

const MAX_ITEMS = 10_000;
const Point = Type.String({ pattern: '^0[23][0-9a-fA-F]{64}$' });
const KeysetId = Type.String({ pattern: '^[0-9a-fA-F]{16}$|^[0-9a-fA-F]{66}$' });
const Amount = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Unit = Type.String({ minLength: 1, maxLength: 32 });
const QuoteId = Type.String({ minLength: 1, maxLength: 64 });

export const Proof = Type.Object({
  amount: Amount,
  id: KeysetId,
  secret: Type.String({ minLength: 1, maxLength: 8192 }),
  C: Point,
  witness: Type.Optional(Type.Union([Type.String({ maxLength: 65_536 }), Type.Object({})])),
  dleq: Type.Optional(Type.Object({})),
});

export const BlindedMessage = Type.Object({ amount: Amount, id: KeysetId, B_: Point });

export const SwapBody = Type.Object({
  inputs: Type.Array(Proof, { maxItems: MAX_ITEMS }),
  outputs: Type.Array(BlindedMessage, { maxItems: MAX_ITEMS }),
});

export const MintQuoteBody = Type.Object({
  amount: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
  unit: Unit,
  description: Type.Optional(Type.String({ maxLength: 639 })),
  pubkey: Type.Optional(Type.String({ maxLength: 66 })),
});

export const MintBody = Type.Object({
  quote: QuoteId,
  outputs: Type.Array(BlindedMessage, { maxItems: MAX_ITEMS }),
  signature: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{128}$' })),
});

export const MeltQuoteBody = Type.Object({
  request: Type.String({ minLength: 1, maxLength: 8192 }),
  unit: Unit,
  options: Type.Optional(Type.Object({})),
});

export const MeltBody = Type.Object({
  quote: QuoteId,
  inputs: Type.Array(Proof, { maxItems: MAX_ITEMS }),
  outputs: Type.Optional(Type.Array(BlindedMessage, { maxItems: MAX_ITEMS })),
  prefer_async: Type.Optional(Type.Boolean()),
});

export const CheckStateBody = Type.Object({ Ys: Type.Array(Point, { maxItems: MAX_ITEMS }) });
export const RestoreBody = Type.Object({ outputs: Type.Array(BlindedMessage, { maxItems: MAX_ITEMS }) });
export const KeysetParams = Type.Object({ keyset_id: KeysetId });
export const QuoteParams = Type.Object({ quote_id: QuoteId });

