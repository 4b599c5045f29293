/**
 * Bytes from an encrypted P1 or DLMS push meter → the same results and events as a DSMR link (no I/O).
 * protocol/dlms finds the APDUs (raw, M-Bus, HDLC, GBT) and opens them with node:crypto's AES-GCM; a
 * DSMR telegram inside (Luxembourg Smarty) goes through a LinkReader, so it is checked exactly as on a
 * plain P1 port; a data-notification becomes readings. The frame counter of each system title must
 * increase: a frame that repeats or goes back is dropped as 'replayed' (counted, never read twice).
 * Keys never appear in results, counters or errors.
 * @module
 */
import {
  bytesToHex, decodeDataNotification, DlmsError, DlmsFramer, openApdu,
  type DlmsFramerEvent, type DlmsKeys, type OpenedApdu,
} from '../protocol/index.js';
import type { DropReason } from './errors.js';
import { nodeGcm } from './gcm.js';
import { LinkReader, type LinkEvent, type LinkReaderOptions, type TelegramResult } from './link-reader.js';

export interface DlmsReaderOptions extends Omit<LinkReaderOptions, 'requireCrc'> {
  dlms: DlmsKeys;
}

type Pushed = { results: TelegramResult[]; events: LinkEvent[] };

/** What stands for a data-notification's identification line: the maker's three letters and the rest in hex. */
function headerOf(systemTitle: Uint8Array | null): string {
  if (!systemTitle) return 'DLMS';
  const maker = systemTitle.subarray(0, 3);
  const letters = maker.every((c) => c >= 0x41 && c <= 0x5a) || maker.every((c) => c >= 0x61 && c <= 0x7a);
  return letters ? `${String.fromCharCode(...maker)}${bytesToHex(systemTitle.subarray(3))}` : bytesToHex(systemTitle);
}

export class DlmsLinkReader {
  private framer = new DlmsFramer();
  /** A decrypted DSMR telegram is read as on a plain port, CRC required (Luxembourg meters are DSMR 4+). */
  private readonly dsmr: LinkReader;
  /** The last frame counter accepted, by system title. */
  private readonly lastCounter = new Map<string, number>();

  constructor(private readonly opts: DlmsReaderOptions) {
    this.dsmr = new LinkReader({ ...opts, requireCrc: true });
  }

  get counters(): LinkReader['counters'] {
    return this.dsmr.counters;
  }

  push(bytes: Uint8Array): Pushed {
    return this.handle(this.framer.push(bytes));
  }

  end(): Pushed {
    const out = this.handle(this.framer.end());
    this.framer = new DlmsFramer();
    return out;
  }

  /** Forgets a half-read frame and half-joined segments (the port was reopened). */
  resync(): void {
    this.handle(this.framer.end());
    this.framer = new DlmsFramer();
  }

  private handle(framed: DlmsFramerEvent[]): Pushed {
    const out: Pushed = { results: [], events: [] };
    for (const f of framed) {
      if (f.kind === 'garbage') this.counters.garbageBytes += f.bytes;
      else if (f.kind === 'dropped') out.results.push(this.drop(f.code));
      else this.apdu(f.apdu, out);
    }
    return out;
  }

  private drop(reason: DropReason): TelegramResult {
    this.counters.dropped[reason]++;
    return { ok: false, error: reason };
  }

  private apdu(apdu: Uint8Array, out: Pushed): void {
    let opened: OpenedApdu;
    try {
      opened = openApdu(apdu, this.opts.dlms, nodeGcm);
    } catch (e) {
      if (e instanceof DlmsError) return void out.results.push(this.drop(e.code));
      throw e;
    }
    if (opened.systemTitle && opened.frameCounter !== null) {
      const title = bytesToHex(opened.systemTitle);
      const last = this.lastCounter.get(title);
      if (last !== undefined && opened.frameCounter <= last) return void out.results.push(this.drop('replayed'));
      this.lastCounter.set(title, opened.frameCounter);
    }
    const encryption = opened.authenticated ? 'authenticated' : opened.systemTitle ? 'unauthenticated' : 'none';
    if (opened.plaintext[0] === 0x2f) {
      const read = this.dsmr.push(opened.plaintext);
      const rest = this.dsmr.end();
      for (const r of [...read.results, ...rest.results]) out.results.push(r.ok ? { ...r, encryption } : r);
      out.events.push(...read.events, ...rest.events);
      return;
    }
    try {
      const readings = decodeDataNotification(opened.plaintext, headerOf(opened.systemTitle));
      this.counters.telegramsOk++;
      out.results.push({ ok: true, crc: 'absent', readings, tokens: [], verified: false, encryption });
      out.events.push({ kind: 'reading', readings });
    } catch (e) {
      if (e instanceof DlmsError) return void out.results.push(this.drop(e.code));
      throw e;
    }
  }
}
