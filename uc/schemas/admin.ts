/**
 * TypeBox schemas of the admin API (docs/http-api.md §Admin API).
 * @module
 */
import { Type, type Static } from '@sinclair/typebox';
import { hex, MeterId, Uint32 } from './public.js';

export const SetBody = Type.Object({ set: Uint32, tokenPublicKey: hex(33) }, { additionalProperties: false });
export type SetBody = Static<typeof SetBody>;

export const MeterBody = Type.Object({ meter: MeterId, billPublicKey: hex(33), set: Uint32 }, { additionalProperties: false });
export type MeterBody = Static<typeof MeterBody>;

export const PeriodParams = Type.Object({ period: Type.String({ pattern: '^[0-9]{1,10}$' }) });
export type PeriodParams = Static<typeof PeriodParams>;

export const PeriodBody = Type.Object(
  { state: Type.Union([Type.Literal('open'), Type.Literal('closed')]) },
  { additionalProperties: false },
);
export type PeriodBody = Static<typeof PeriodBody>;

export const SettlementsQuery = Type.Object(
  { status: Type.Optional(Type.Union([Type.Literal('settled'), Type.Literal('unsettled')])) },
  { additionalProperties: false },
);
export type SettlementsQuery = Static<typeof SettlementsQuery>;
