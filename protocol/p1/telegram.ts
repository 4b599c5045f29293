/**
 * A P1 telegram (DSMR 5.0.2 §6.2, issue 3): `/` identification line, OBIS lines, `!` and the
 * CRC-16/ARC of everything from `/` to `!` inclusive, CR LF after every line. DSMR 2.2/3.0 telegrams
 * end with a bare `!` and no CRC; a telegram that declares P1 version ≥ 4 or carries Sipster lines
 * must have one. The CRC is checked over the raw bytes, before any decoding.
 * @module
 */
import type { Token } from '../meter.js';
import { parseCosemLines, type CosemObject } from './cosem.js';
import { crc16, crcDigits } from './crc16.js';
import { TelegramError } from './errors.js';
import { readingsFrom, type Readings } from './readings.js';
import {
  decodeBillLine, decodeSipsterLine, decodeTokenLine, OBIS_BILL, OBIS_SIPSTER, OBIS_TOKEN,
  type BillWithOpening,
} from './sipster-lines.js';

export interface P1Telegram {
  /** 'absent' only for telegrams allowed to lack one (DSMR 2.2/3.0, no Sipster lines). */
  crc: 'valid' | 'absent';
  readings: Readings;
  /** Present when the telegram carries Sipster lines. */
  sipster?: { version: number; set: number };
  tokens: Token[];
  bill?: BillWithOpening;
}

const BANG = 0x21;
const latin1 = new TextDecoder('latin1');

/** Splits at CR LF; a lone CR or LF inside the body is a bad line. */
function splitLines(body: string): string[] {
  const lines = body.split('\r\n');
  if (lines.some((l) => l.includes('\r') || l.includes('\n'))) throw new TelegramError('bad-line', 'line not ended by CR LF');
  return lines;
}

export interface DecodeOptions {
  /**
   * Refuse telegrams without a CRC. A reader on a 115200 8N1 line (DSMR ≥ 4, every Sipster meter)
   * sets it, so that noise can never pass for a CRC-less DSMR 2.2 telegram.
   */
  requireCrc?: boolean;
}

/**
 * Decodes one frame as the framer cut it (`/` … `!` [CRC] [CR LF]).
 * @throws TelegramError 'truncated' | 'bad-crc' | 'missing-crc' | 'bad-line' | 'bad-sipster-line'
 */
export function decodeTelegram(frame: Uint8Array, { requireCrc = false }: DecodeOptions = {}): P1Telegram {
  if (frame[0] !== 0x2f) throw new TelegramError('truncated', 'frame does not start with /');
  let bang = frame.lastIndexOf(BANG);
  while (bang > 0 && frame[bang - 1] !== 0x0a) bang = frame.lastIndexOf(BANG, bang - 1);
  if (bang <= 0) throw new TelegramError('truncated', 'no ! line');
  const end = latin1.decode(frame.subarray(bang + 1));
  const trailer = end.replace(/\r?\n$/, '');
  if (!/^[0-9A-Fa-f]{0,4}$/.test(trailer) || (trailer === '' && /^\n$/.test(end))) throw new TelegramError('truncated', 'damaged ! line');
  if (trailer === '' && requireCrc) throw new TelegramError('missing-crc', 'telegram must carry a CRC');
  if (trailer !== '' && parseInt(trailer, 16) !== crc16(frame, 0, bang + 1)) throw new TelegramError('bad-crc', 'CRC mismatch');
  if (frame[bang - 2] !== 0x0d) throw new TelegramError('bad-line', 'line not ended by CR LF');
  const lines = splitLines(latin1.decode(frame.subarray(1, bang - 2)));
  const objects = parseCosemLines(lines.slice(1));
  const telegram = decodeObjects(lines[0]!, objects);
  if (trailer === '' && (telegram.sipster || Number(telegram.readings.version ?? '0') >= 40)) {
    throw new TelegramError('missing-crc', 'telegram must carry a CRC');
  }
  return { ...telegram, crc: trailer === '' ? 'absent' : 'valid' };
}

function decodeObjects(header: string, objects: CosemObject[]): Omit<P1Telegram, 'crc'> {
  const readings = readingsFrom(header, objects);
  const marks = objects.filter((o) => o.obis === OBIS_SIPSTER);
  const tokenLines = objects.filter((o) => o.obis === OBIS_TOKEN);
  const billLines = objects.filter((o) => o.obis === OBIS_BILL);
  if (marks.length === 0) {
    if (tokenLines.length + billLines.length > 0) throw new TelegramError('bad-sipster-line', 'Sipster lines without the version line');
    return { readings, tokens: [] };
  }
  if (marks.length > 1 || billLines.length > 1) throw new TelegramError('bad-sipster-line', 'Sipster line repeated');
  const sipster = decodeSipsterLine(marks[0]!);
  const tokens = tokenLines.map((o) => decodeTokenLine(o, sipster.set));
  return billLines[0] ? { readings, sipster, tokens, bill: decodeBillLine(billLines[0]) } : { readings, sipster, tokens };
}

/** Builds a telegram: header (without '/'), lines (without CR LF), then '!' and the CRC. */
export function encodeTelegram(header: string, lines: readonly string[]): Uint8Array {
  const body = `/${header}\r\n\r\n${lines.map((l) => `${l}\r\n`).join('')}!`;
  if (/[^\x20-\x7e\r\n]/.test(body)) throw new RangeError('telegram text must be printable ASCII');
  const bytes = new TextEncoder().encode(body);
  return new TextEncoder().encode(`${body}${crcDigits(crc16(bytes))}\r\n`);
}
