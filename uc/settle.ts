/**
 * POST /v1/settle (protocol.md §Settlement): the bill's signature under the meter's registered key, then
 * C = a·R_t, compared in constant time; (meter, t) is then recorded settled, once. A failed attempt is counted
 * with its reason only once the bill's signature verifies: anyone can name a meter, only the meter can sign its bill,
 * so a stranger's forged bill is refused without leaving a mark on that meter's record. Faulty bills (a meter that lost its state) settle too, marked, for the utility to handle out of band.
 * @module
 */
import { timingSafeEqual } from 'node:crypto';
import { DecodeError, hexToBytes, issueReceipt, verifyBill, type CurveBackend, type ReceiptKey } from '../protocol/index.js';
import { HttpError } from './errors.js';
import type { Ledger } from './ledger/index.js';
import type { Registry } from './registry.js';
import type { SettleBody, SettleReply } from './schemas/public.js';

export interface SettleDeps {
  ledger: Ledger;
  registry: Registry;
  receiptKey: ReceiptKey;
  backend: CurveBackend;
}

/**
 * C = a·R_t, as canonical bytes: the encoding is unique, so byte equality is point equality, and timingSafeEqual
 * tells an attacker probing with chosen C nothing about a·R_t. R_t has passed the full point check in verifyBill.
 */
function combinedReceiptHolds(a: bigint, R: Uint8Array, C: Uint8Array, backend: CurveBackend): boolean {
  const expected = issueReceipt(a, R, backend);
  return expected.length === C.length && timingSafeEqual(expected, C);
}

export async function settleBill(deps: SettleDeps, body: SettleBody): Promise<SettleReply> {
  const meter = await deps.ledger.meter(body.meter);
  if (!meter) throw new HttpError(404, 'unknown-meter', `meter ${body.meter} is not registered`);
  const { openPeriods } = await deps.registry.snapshot();
  if (!openPeriods.has(body.period)) throw new HttpError(409, 'period-not-open', `period ${body.period} is not open for settlement`);
  if (await deps.ledger.isSettled(meter.meter, body.period))
    throw new HttpError(409, 'already-settled', `meter ${meter.meter} has already settled period ${body.period}`);

  const fail = async (reason: string, err: HttpError) => {
    await deps.ledger.recordFailedSettlement(meter.meter, body.period, reason);
    throw err;
  };
  const R = hexToBytes(body.bill, 48);
  const bill = { meter: meter.meter, period: body.period, fault: body.fault, R, sig: hexToBytes(body.billSignature, 64) };
  try {
    verifyBill(meter.billPublicKey, bill, deps.backend);
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
    const refusal = new HttpError(400, 'bad-bill', `bill refused: ${err.code}`);
    // A bad length or signature: nothing says the meter sent it. A signed bill with a bad point: the meter did.
    if (err.code === 'bad-length' || err.code === 'bad-signature') throw refusal;
    await fail(`bad-bill:${err.code}`, refusal);
  }
  if (!combinedReceiptHolds(deps.receiptKey.a, R, hexToBytes(body.combined, 48), deps.backend))
    await fail('settlement-mismatch', new HttpError(422, 'settlement-mismatch', 'the combined receipt does not match the bill'));
  if (!(await deps.ledger.recordSettlement(meter.meter, body.period, body.fault)))
    throw new HttpError(409, 'already-settled', `meter ${meter.meter} has already settled period ${body.period}`);
  return { status: 'settled', fault: body.fault };
}
