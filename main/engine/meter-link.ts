/**
 * The engine's one link to the meter, replaceable: the port the user chose, the host's demo meter, or none. A new
 * choice closes the old link before the new one opens, so two links never read at once.
 * @module
 */
import { type LinkEvent, type MeterKeys, type SerialLink, type SerialLinkOptions, openSerialLink } from '../../bridge/index.js';
import { dlmsLinkOptions } from './meter-encryption.js';
import type { MeterChoice, MeterView } from '../api/index.js';
import { EngineError } from './errors.js';

export interface MeterSources {
  /** The port the host named at start (CLI --serial) and the meter keys pinned at installation. */
  serial?: { port: SerialLinkOptions['port']; keys?: MeterKeys };
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
  /** Choices are applied one after the other: two links never read at once. */
  private changing: Promise<unknown> = Promise.resolve();
  private ended = false;

  constructor(
    private readonly sources: MeterSources,
    private readonly onEvent: (e: LinkEvent) => void,
    private readonly onStatus: (connected: boolean) => void,
  ) {}

  /** What to read at start: the remembered choice, else the host's port, else its demo meter, else nothing. */
  startChoice(remembered: MeterChoice | null): MeterChoice | { kind: 'host' } {
    if (remembered && !(remembered.kind === 'demo' && !this.sources.demoMeter)) return remembered;
    if (this.sources.serial) return { kind: 'host' };
    return this.sources.demoMeter ? { kind: 'demo' } : { kind: 'none' };
  }

  /** The port path the link holds open (locked), if any: it cannot be probed while open. */
  get openPath(): string | null {
    return this.path;
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
    const keys = this.sources.serial?.keys;
    const open = (port: SerialLinkOptions['port'], k: MeterKeys | undefined, extra: Partial<SerialLinkOptions> = {}) => {
      if (this.link) throw new Error('a meter link is already open'); // a bug, not an input
      this.link = openSerialLink({ port, ...(k ? { keys: k } : {}), ...extra, onEvent: this.onEvent, onStatus: (s) => {
        if (s.connected && typeof port === 'object' && 'vendorId' in port && s.path) this.path = s.path; // a USB id: its path once found
        this.onStatus(s.connected);
      } });
    };
    switch (choice.kind) {
      case 'none':
        return { kind: 'none' };
      case 'demo':
        if (!this.sources.demoMeter) return { kind: 'none' }; // remembered, but this host has none now
        open(this.sources.demoMeter.port, this.sources.demoMeter.keys);
        return { kind: 'demo' };
      case 'port':
        open(choice.path, keys, choice.dlms ? dlmsLinkOptions(choice.dlms) : {});
        this.path = choice.path;
        return { kind: 'port', path: choice.path };
      case 'host': {
        const port = this.sources.serial!.port;
        open(port, keys);
        this.path = typeof port === 'string' ? port : null;
        return { kind: 'port', path: describePort(port) };
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
  }
}
