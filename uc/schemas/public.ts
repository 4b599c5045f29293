/**
 * TypeBox schemas of the public API (docs/http-api.md): one value serves validation and the handler's types.
 * Bytes travel as lowercase or uppercase hex of exact length; identifiers are uint32; nothing else is accepted.
 * @module
 */
import { Type, type Static } from '@sinclair/typebox';

export const Uint32 = Type.Integer({ minimum: 0, maximum: 0xffffffff });
export const hex = (bytes: number) => Type.String({ pattern: `^[0-9a-fA-F]{${bytes * 2}}$` });
export const MeterId = Type.String({ pattern: '^[A-Za-z0-9._-]{1,32}$' });
export const ErrorReply = Type.Object({ error: Type.String(), message: Type.String() });

/** What the utility charges: the value of one token (one unit of expense) and the price per kWh by tariff register. */
export const Tariff = Type.Object({
  currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  tokenValue: Type.Number({ exclusiveMinimum: 0, maximum: 1e6 }),
  perKWh: Type.Array(Type.Number({ minimum: 0, maximum: 1e6 }), { minItems: 1, maxItems: 4 }),
}, { additionalProperties: false });
export type Tariff = Static<typeof Tariff>;

export const ParamsReply = Type.Object({
  version: Type.Literal(1),
  receiptKey: Type.Object({ A1: hex(48), A2: hex(96) }),
  /** `size`: the meters registered in the set, the households a payment of the set hides among. */
  sets: Type.Array(Type.Object({ set: Uint32, tokenPublicKey: hex(33), size: Uint32 })),
  mint: Type.Object({ url: Type.String(), unit: Type.String() }),
  openPeriods: Type.Array(Uint32),
  /** The same for every household (published, not per request), so reading it links nobody. */
  tariff: Type.Optional(Tariff),
});
export type ParamsReply = Static<typeof ParamsReply>;

/** `GET /v1/meters/:meter`: a registered meter's bill key, which a household without a meter key file checks bills with. */
export const MeterParams = Type.Object({ meter: MeterId });
export type MeterParams = Static<typeof MeterParams>;
export const MeterReply = Type.Object({ meter: MeterId, billPublicKey: hex(33), set: Uint32 });
export type MeterReply = Static<typeof MeterReply>;

/** A token as the meter signed it: what /v1/pay and /v1/receipt both check first. */
const tokenFields = { set: Uint32, period: Uint32, token: hex(48), signature: hex(64) };

/** `POST /v1/receipt`: the token alone, no coin. */
export const TokenBody = Type.Object(tokenFields, { additionalProperties: false });
export type TokenBody = Static<typeof TokenBody>;

export const ReceiptReply = Type.Object({ receipt: hex(48) });
export type ReceiptReply = Static<typeof ReceiptReply>;

export const PayBody = Type.Object(
  {
    ...tokenFields,
    // A cashuB token string holding one proof: a few hundred characters; the cap keeps decoding cheap.
    coin: Type.String({ minLength: 1, maxLength: 4096 }),
  },
  { additionalProperties: false },
);
export type PayBody = Static<typeof PayBody>;

export const PayReply = Type.Object({
  status: Type.Union([Type.Literal('paid'), Type.Literal('already-paid')]),
  receipt: hex(48),
});
export type PayReply = Static<typeof PayReply>;

export const SettleBody = Type.Object(
  {
    meter: MeterId,
    period: Uint32,
    fault: Type.Boolean(),
    bill: hex(48),
    billSignature: hex(64),
    combined: hex(48),
  },
  { additionalProperties: false },
);
export type SettleBody = Static<typeof SettleBody>;

export const SettleReply = Type.Object({ status: Type.Literal('settled'), fault: Type.Boolean() });
export type SettleReply = Static<typeof SettleReply>;
