/**
 * The P1 link, pure (issue 3): telegram frame and CRC-16/ARC, OBIS lines → DSMR readings, and the
 * Sipster lines for tokens and bills. Shared by meter-emulator/ and bridge/, which never import each other.
 * @module
 */
export { crc16, crcDigits } from './crc16.js';
export { TelegramError, type TelegramErrorCode } from './errors.js';
export { TelegramFramer, MAX_TELEGRAM_BYTES, type FramerEvent } from './framer.js';
export { decodeP1Time, encodeP1Time, type P1Time } from './p1-time.js';
export type { Readings, Registers, PerPhase, MbusDevice, PowerFailure } from './readings.js';
export {
  SIPSTER_VERSION, OBIS_SIPSTER, OBIS_TOKEN, OBIS_BILL, encodeSipsterLine, encodeTokenLine, encodeBillLine,
  type BillWithOpening,
} from './sipster-lines.js';
export { decodeTelegram, encodeTelegram, type P1Telegram, type DecodeOptions } from './telegram.js';
