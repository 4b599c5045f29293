/**
 * The engine's one link to the meter, replaceable: the port the user chose (at its line settings), a meter on the
 * network (TCP or HomeWizard, straight to the LAN: a meter source is not a payment path, so not through SOCKS), the
 * host's demo meter, or none. A new choice closes the old link before the new one opens, so two links never read at once.
 * @module
 */
import {
  type LinkEvent, type MeterKeys, type SerialLink, type SerialLinkOptions, openNetworkLink, openSerialLink, parseNetworkSource,
} from '../../bridge/index.js';
import type { MeterChoice, MeterLine, MeterView } from '../api/index.js';
import { dlmsLinkOptions } from './meter-encryption.js';
import { EngineError } from './errors.js';

export interface MeterSources {
  /** The port the host named at start (CLI --serial, --line) and the meter keys pinned at installation. */
  serial?: { port: SerialLinkOptions['port']; keys?: MeterKeys; line?: MeterLine };
  /** Or the network meter it named (CLI --meter), with the same keys. */
  network?: { address: string; keys?: MeterKeys; line?: MeterLine };
  /** The host's demo meter, when it has one. */
  demoMeter?: { port: SerialLinkOptions['port']; keys?: MeterKeys };
}

/** How a host-given port reads in the window: a path, a USB id, or an in-process stream (the demo without socat). */
function describePort(port: SerialLinkOptions['port']): string {
  if (typeof port === 'string') return port;
  return 'vendorId' in port ? `usb:${port.vendorId}${port.productId ? `:${port.productId}` : ''}` : 'in-process stream';
}

export class MeterLink {
  private link: SerialLink | null = null;
  private path: string | null = null;
  private line: MeterLine = 'dsmr4';
  private keys: MeterKeys | null = null;
  /** Choices are applied one after the other: two links never read at once. */
  private changing: Promise<unknown> = Promise.resolve();
  private ended = false;

  constructor(
    private readonly sources: MeterSources,
    private readonly onEvent: (e: LinkEvent) => void,
    /** The link opened or went down, and why (connection words only: never telegram content). */
    private readonly onStatus: (connected: boolean, reason?: string) => void,
  ) {}

  /** What to read at start: the remembered choice, else the host's port or network meter, else its demo meter, else nothing. */
  startChoice(remembered: MeterChoice | null): MeterChoice | { kind: 'host' } {
    if (remembered && !(remembered.kind === 'demo' && !this.sources.demoMeter)) return remembered;
    if (this.sources.serial) return { kind: 'host' };
    const network = this.sources.network;
    if (network) return { kind: 'network', address: network.address, ...(network.line ? { line: network.line } : {}) };
    return this.sources.demoMeter ? { kind: 'demo' } : { kind: 'none' };
  }

  /** The port path the link holds open (locked), if any: it cannot be probed while open. */
  get openPath(): string | null {
    return this.path;
  }

  /** The line settings of the link open now. */
  get openLine(): MeterLine {
    return this.line;
  }

  /** bpk_ID the open link checks bills with; null when it reads without meter keys. */
  get billKey(): Uint8Array | null {
    return this.keys?.billPublicKey ?? null;
  }

  /** Closes the current link, then opens `choice`; returns the source the window shows. */
  async use(choice: MeterChoice | { kind: 'host' }): Promise<MeterView['source']> {
    if (choice.kind === 'demo' && !this.sources.demoMeter)
      throw new EngineError('bad-request', 'This computer has no demo meter: choose the serial port of your meter instead.');
    const next = this.changing.then(async () => {
      await this.close();
      return this.open(choice);
    });
    this.changing = next.catch(() => {});
    return next;
  }

  /** Opens `choice` while no link is open (at start, or after close). */
  open(choice: MeterChoice | { kind: 'host' }): MeterView['source'] {
    if (this.ended) return { kind: 'none' }; // a choice that was still queued when the engine closed
    const keys = this.sources.serial?.keys ?? this.sources.network?.keys;
    const status = (usb: boolean) => (s: { connected: boolean; path?: string; reason?: string }) => {
      if (s.connected && usb && s.path) this.path = s.path; // a USB id: its path once found
      this.onStatus(s.connected, s.reason);
    };
    const attach = (line: MeterLine, k: MeterKeys | undefined, link: () => SerialLink) => {
      if (this.link) throw new Error('a meter link is already open'); // a bug, not an input
      this.line = line;
      this.keys = k ?? null;
      this.link = link();
    };
    // An encrypted meter's options carry the line its framing needs (M-Bus 2400 8E1), which wins over the DSMR line.
    const open = (port: SerialLinkOptions['port'], k: MeterKeys | undefined, line: MeterLine = 'dsmr4', extra: Partial<SerialLinkOptions> = {}) =>
      attach(line, k, () => openSerialLink({ port, line, ...(k ? { keys: k } : {}), ...extra, onEvent: this.onEvent, onStatus: status(typeof port === 'object' && 'vendorId' in port) }));
    switch (choice.kind) {
      case 'none':
        return { kind: 'none' };
      case 'demo':
        if (!this.sources.demoMeter) return { kind: 'none' }; // remembered, but this host has none now
        open(this.sources.demoMeter.port, this.sources.demoMeter.keys);
        return { kind: 'demo' };
      case 'port': {
        const line = choice.line ?? 'dsmr4';
        open(choice.path, keys, line, choice.dlms ? dlmsLinkOptions(choice.dlms) : {});
        this.path = choice.path;
        return { kind: 'port', path: choice.path, line, ...(choice.dlms ? { framing: choice.dlms.framing } : {}) };
      }
      case 'network': {
        const line = choice.line ?? 'dsmr4';
        attach(line, keys, () => openNetworkLink({ source: parseNetworkSource(choice.address), line, ...(keys ? { keys } : {}), onEvent: this.onEvent, onStatus: status(false) }));
        return { kind: 'network', address: choice.address, line };
      }
      case 'host': {
        const { port, line = 'dsmr4' } = this.sources.serial!;
        open(port, keys, line);
        this.path = typeof port === 'string' ? port : null;
        return { kind: 'port', path: describePort(port), line };
      }
    }
  }

  /** The engine closes: a choice under way finishes, then nothing opens again. */
  async end(): Promise<void> {
    this.ended = true;
    await this.changing;
    await this.close();
  }

  private async close(): Promise<void> {
    const l = this.link;
    this.link = null;
    this.path = null;
    await l?.close();
    this.keys = null; // after the close: a bill the old link still delivers was checked with its keys
  }
}
