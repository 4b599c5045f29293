/**
 * Finds DLMS APDUs in a serial byte stream, incrementally and without I/O, whatever the framing:
 *
 *   raw     `DB 08 …` general-glo-ciphering APDUs back to back (Luxembourg Smarty, T210-D-r); the
 *           APDU's own length field says where it ends
 *   M-Bus   long frames `68 L L 68 | C A CI | 01 67 | data | CS 16` (EN 13757-2; Austrian Kaifa, 2400 8E1):
 *           CS = sum of C … data mod 256; CI low nibble = segment number, CI bit 0x10 = last segment
 *   HDLC    `7E | A0 LL | dest src ctrl HCS | info | FCS | 7E` (IEC 62056-46; Landis+Gyr E450),
 *           HCS/FCS = CRC-16/X.25; the first info starts with the LLC `E6 E7 00`; the format's S bit
 *           chains segments; an info of General Block Transfer blocks `E0 ctrl bn(2) bna(2) len data`
 *           (last block: ctrl bit 0x80) is joined into one APDU
 *
 * A start byte that does not open a well-formed frame is garbage; a frame whose checksum fails is
 * dropped as 'bad-frame'; segments or blocks that lose their start or end are dropped as 'truncated'.
 * @module
 */
import { concatBytes } from '../bytes.js';
import { readLength } from './axdr.js';

export type DlmsFraming = 'raw' | 'mbus' | 'hdlc';

export type DlmsFramerEvent =
  | { kind: 'apdu'; framing: DlmsFraming; apdu: Uint8Array }
  | { kind: 'dropped'; code: 'bad-frame' | 'truncated' | 'too-long'; bytes: number }
  | { kind: 'garbage'; bytes: number };

/** The longest APDU accepted (the longest real one seen is 1.5 KB: a Luxembourg telegram). */
export const MAX_APDU_BYTES = 8192;

const RAW = 0xdb;
const MBUS = 0x68;
const FLAG = 0x7e;
const LLC = [0xe6, 0xe7, 0x00];
const GBT = 0xe0;

/** CRC-16/X.25 (HDLC HCS and FCS): reflected 0x1021, init and final XOR 0xFFFF; check("123456789") = 0x906E. */
export function crc16x25(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) {
    crc ^= bytes[i]!;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  return crc ^ 0xffff;
}

type Unit =
  | { framing: 'raw'; apdu: Uint8Array }
  | { framing: 'mbus'; last: boolean; seq: number; data: Uint8Array }
  | { framing: 'hdlc'; more: boolean; info: Uint8Array };
/** What starts at b[0]: more bytes needed, not a frame start, a damaged frame of `end` bytes, or a frame. */
type Found = 'more' | 'no' | { end: number; bad: true } | { end: number; unit: Unit | null };

function rawAt(b: Uint8Array): Found {
  if (b.length < 2) return 'more';
  if (b[1] !== 0x08) return 'no';
  const length = readLength(b, 10);
  if (length === 'more') return 'more';
  if (length === null || length.value > MAX_APDU_BYTES) return 'no';
  const end = length.next + length.value;
  return b.length < end ? 'more' : { end, unit: { framing: 'raw', apdu: b.slice(0, end) } };
}

function mbusAt(b: Uint8Array): Found {
  if (b.length < 4) return 'more';
  const l = b[1]!;
  if (b[2] !== l || b[3] !== MBUS || l < 5) return 'no';
  const end = l + 6;
  if (b.length < end) return 'more';
  let sum = 0;
  for (let i = 4; i < 4 + l; i++) sum += b[i]!;
  // data after CI starts with the two TSAP bytes 01 67, which are not part of the APDU
  if ((sum & 0xff) !== b[4 + l] || b[5 + l] !== 0x16) return { end, bad: true };
  const ci = b[6]!;
  return { end, unit: { framing: 'mbus', last: (ci & 0x10) !== 0, seq: ci & 0x0f, data: b.slice(9, 4 + l) } };
}

/** An HDLC address: bytes up to one with bit 0 set, at most 4; returns the index after it. */
function address(b: Uint8Array, from: number, end: number): number {
  let at = from;
  while (at < end - 3 && !(b[at]! & 1) && at - from < 3) at++;
  return at + 1;
}

function hdlcAt(b: Uint8Array): Found {
  if (b.length < 2) return 'more';
  if (b[1] === FLAG) return { end: 1, unit: null }; // closing and opening flags both sent
  if ((b[1]! & 0xf0) !== 0xa0) return 'no';
  if (b.length < 3) return 'more';
  const length = ((b[1]! & 0x07) << 8) | b[2]!;
  if (length < 7) return 'no';
  const end = length + 2;
  if (b.length < end) return 'more';
  const at = address(b, address(b, 3, end), end) + 1; // destination, source, control
  const fcs = end - 3;
  const crcAt = (i: number) => b[i]! | (b[i + 1]! << 8);
  if (b[end - 1] !== FLAG || at > fcs || crcAt(fcs) !== crc16x25(b, 1, fcs)) return { end, bad: true };
  if (at === fcs) return { end: end - 1, unit: { framing: 'hdlc', more: false, info: new Uint8Array(0) } };
  if (at + 2 > fcs || crcAt(at) !== crc16x25(b, 1, at)) return { end, bad: true };
  // the closing flag may also open the next frame: leave it in the buffer
  return { end: end - 1, unit: { framing: 'hdlc', more: (b[1]! & 0x08) !== 0, info: b.slice(at + 2, fcs) } };
}

function frameAt(b: Uint8Array): Found {
  switch (b[0]) {
    case RAW: return rawAt(b);
    case MBUS: return mbusAt(b);
    case FLAG: return hdlcAt(b);
    default: return 'no';
  }
}

const isStart = (x: number) => x === RAW || x === MBUS || x === FLAG;


/** Parts of one APDU being joined: M-Bus segments, HDLC segments or GBT blocks. */
class Joiner {
  private parts: Uint8Array[] = [];
  private size = 0;
  next = 0;
  /** The next part of an APDU already dropped (its start was lost): later parts are garbage, not more drops. */
  skipping = -1;

  get open(): boolean {
    return this.parts.length > 0;
  }

  /** @returns false when the APDU grows past MAX_APDU_BYTES (the parts are then forgotten). */
  add(part: Uint8Array, next: number): boolean {
    this.parts.push(part);
    this.size += part.length;
    this.next = next;
    if (this.size <= MAX_APDU_BYTES) return true;
    this.clear();
    return false;
  }

  take(): Uint8Array {
    const out = concatBytes(...this.parts);
    this.clear();
    return out;
  }

  clear(): number {
    const size = this.size;
    this.parts = [];
    this.size = 0;
    return size;
  }
}

export class DlmsFramer {
  private buf: Uint8Array = new Uint8Array(0);
  private mbus = new Joiner();
  private hdlc = new Joiner();
  private gbt = new Joiner();

  /** Feed bytes; returns the APDUs and drops they completed, in stream order. */
  push(chunk: Uint8Array): DlmsFramerEvent[] {
    const events: DlmsFramerEvent[] = [];
    if (chunk.length === 0) return events;
    this.buf = concatBytes(this.buf, chunk);
    this.advance(events);
    return events;
  }

  /** End of input: a frame or an APDU still incomplete is dropped as 'truncated'. */
  end(): DlmsFramerEvent[] {
    const events: DlmsFramerEvent[] = [];
    const partial = this.buf.length > 0 && isStart(this.buf[0]!) && !(this.buf.length === 1 && this.buf[0] === FLAG);
    if (partial) events.push({ kind: 'dropped', code: 'truncated', bytes: this.buf.length });
    else if (this.buf.length > 1) events.push({ kind: 'garbage', bytes: this.buf.length });
    for (const j of [this.mbus, this.hdlc, this.gbt]) if (j.open) events.push({ kind: 'dropped', code: 'truncated', bytes: j.clear() });
    this.buf = new Uint8Array(0);
    return events;
  }

  /** Bytes held for an unfinished frame. */
  get buffered(): number {
    return this.buf.length;
  }

  private advance(events: DlmsFramerEvent[]): void {
    let garbage = 0;
    const flush = () => {
      if (garbage > 0) events.push({ kind: 'garbage', bytes: garbage });
      garbage = 0;
    };
    let at = 0;
    while (at < this.buf.length) {
      const b = this.buf;
      if (!isStart(b[at]!)) {
        garbage++;
        at++;
        continue;
      }
      const found = frameAt(b.subarray(at));
      if (found === 'more') break;
      if (found === 'no') {
        garbage++;
        at++;
        continue;
      }
      flush();
      if ('bad' in found) events.push({ kind: 'dropped', code: 'bad-frame', bytes: found.end });
      else if (found.unit) this.unit(found.unit, events);
      at += found.end;
    }
    flush();
    this.buf = this.buf.slice(at);
  }

  private unit(u: Unit, events: DlmsFramerEvent[]): void {
    const drop = (code: 'truncated' | 'too-long', bytes: number) => events.push({ kind: 'dropped', code, bytes });
    if (u.framing === 'raw') {
      events.push({ kind: 'apdu', framing: 'raw', apdu: u.apdu });
      return;
    }
    if (u.framing === 'mbus') {
      if (this.orphan(this.mbus, u.seq, 0, u.last, u.data.length, events)) return;
      if (!this.mbus.add(u.data, u.seq + 1)) return void drop('too-long', MAX_APDU_BYTES);
      if (u.last) events.push({ kind: 'apdu', framing: 'mbus', apdu: this.mbus.take() });
      return;
    }
    let info = u.info;
    if (!this.hdlc.open && LLC.every((x, k) => info[k] === x)) info = info.subarray(LLC.length);
    if (!this.hdlc.add(info, 0)) return void drop('too-long', MAX_APDU_BYTES);
    if (!u.more) this.payload(this.hdlc.take(), events);
  }

  /**
   * Part `n` of an APDU (`first` for its first part): a first part while another APDU is open drops that one;
   * a part that does not follow the open APDU is dropped with it, and the rest of its APDU is garbage.
   * @returns true when the part was dropped
   */
  private orphan(j: Joiner, n: number, first: number, last: boolean, bytes: number, events: DlmsFramerEvent[]): boolean {
    if (n === first) {
      if (j.open) events.push({ kind: 'dropped', code: 'truncated', bytes: j.clear() }); // a new APDU began before the last one ended
      j.skipping = -1;
      return false;
    }
    if (j.open && n === j.next) return false;
    if (!j.open && n === j.skipping) events.push({ kind: 'garbage', bytes });
    else events.push({ kind: 'dropped', code: 'truncated', bytes: j.clear() + bytes });
    j.skipping = last ? -1 : n + 1;
    return true;
  }

  /** An HDLC message: one APDU, or one General Block Transfer block of it. */
  private payload(p: Uint8Array, events: DlmsFramerEvent[]): void {
    if (p[0] !== GBT) {
      if (p.length > 0) events.push({ kind: 'apdu', framing: 'hdlc', apdu: p });
      return;
    }
    const length = p.length >= 6 ? readLength(p, 6) : null;
    const block = (p[2]! << 8) | p[3]!;
    if (length === null || length === 'more' || length.next + length.value !== p.length) {
      events.push({ kind: 'dropped', code: 'bad-frame', bytes: p.length });
      return;
    }
    if (this.orphan(this.gbt, block, 1, (p[1]! & 0x80) !== 0, p.length, events)) return;
    if (!this.gbt.add(p.subarray(length.next), block + 1)) return void events.push({ kind: 'dropped', code: 'too-long', bytes: MAX_APDU_BYTES });
    if (p[1]! & 0x80) events.push({ kind: 'apdu', framing: 'hdlc', apdu: this.gbt.take() });
  }
}

/** How far into a recording the framing is looked for (several frames of any meter). */
const SNIFF_BYTES = 65_536;

/**
 * Which reader a recording needs: 'dsmr' when a DSMR telegram (`/` then a printable identification line)
 * comes before any well-formed DLMS frame, 'dlms' when a DLMS frame comes first, null when neither is found
 * in the first SNIFF_BYTES.
 */
export function sniffFraming(bytes: Uint8Array): 'dsmr' | 'dlms' | null {
  for (let i = 0; i < Math.min(bytes.length, SNIFF_BYTES); i++) {
    const x = bytes[i]!;
    if (x === 0x2f) {
      const eol = bytes.indexOf(0x0d, i);
      if (eol > i + 1 && bytes[eol + 1] === 0x0a && bytes.subarray(i + 1, eol).every((c) => c >= 0x20 && c < 0x7f)) return 'dsmr';
    } else if (isStart(x)) {
      const found = frameAt(bytes.subarray(i));
      if (typeof found === 'object' && !('bad' in found) && found.unit) return 'dlms';
    }
  }
  return null;
}
