/**
 * The running meter (issue 3): its state file, an accelerated clock, and a serial port it only writes
 * to. It has no input path at all. Telegrams start every `intervalMs` of real time (1 s, as DSMR 5) and
 * are paced at the line speed; the port is reopened when it goes away (pty or USB replugged), and the
 * clock keeps running meanwhile, so the carousel later fills what the link missed. Instead of a device, the
 * port may be an in-process byte stream (the demo without socat): the same pacing, no reopen.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { stat, writeFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { SerialPort } from 'serialport';
import {
  bytesToHex, isValidP256SecretKey, MAX_TELEGRAM_BYTES, newMeterState, nobleBackend, p256PublicKey, SEED_BYTES,
  type CurveBackend,
} from '../protocol/index.js';
import { MeterError } from './errors.js';
import { DEFAULT_TARIFF, type Tariff } from './household.js';
import type { FollowedReading, FollowRefusal } from './follow-check.js';
import { MeterCore, type TelegramStats } from './meter-core.js';
import { PacedWriter } from './paced-port.js';
import { loadRecord, saveRecord, type MeterRecord } from './state-file.js';

export interface MeterOptions {
  /** A device path, or an in-process stream (like a P1 line, it never waits: bytes a full stream cannot take are lost). */
  port: string | { stream: Writable };
  /** The state file; created with fresh keys and seed on first start. */
  seedFile: string;
  /** Emulated seconds per real second (3600 = an hour a second). */
  speed?: number;
  baudRate?: number;
  intervalMs?: number;
  periodHours?: number;
  /** Unit of expense in currency (0.10 = ten cents a token). */
  unit?: number;
  tariff?: Tariff;
  meterId?: string;
  set?: number;
  /** The anonymity set's shared signing key tsk_S (every meter of the set holds it); random when absent. */
  setSecretKey?: Uint8Array;
  /** Emulated start time for a new meter (ms since the epoch). */
  startMs?: number;
  householdSeed?: number;
  /**
   * Follow mode (issue 13): no emulated household; consumption comes from a real meter's readings, given to
   * `RunningMeter.follow`. Telegrams start with the first accepted reading.
   */
  follow?: boolean;
  backend?: CurveBackend;
  onTelegram?: (stats: TelegramStats) => void;
  onStatus?: (status: { connected: boolean; reason?: string }) => void;
}

export interface MeterPublicKeys {
  meter: string;
  set: number;
  setPublicKey: string;
  billPublicKey: string;
}

export interface RunningMeter {
  readonly publicKeys: MeterPublicKeys;
  /** The meter's state as last advanced (tests and benchmarks read counters; never logged). */
  readonly record: MeterRecord;
  /** Emulated now, ms. */
  emulatedNow(): number;
  /** Follow mode: one reading of the real meter; null when accepted, else why it was refused (nothing changed). */
  follow(reading: FollowedReading): FollowRefusal | null;
  stop(): Promise<void>;
}

function secretKey(): Uint8Array {
  for (;;) {
    const k = new Uint8Array(randomBytes(32));
    if (isValidP256SecretKey(k)) return k;
  }
}

function newRecord(o: MeterOptions): MeterRecord {
  const now = o.startMs ?? Date.now();
  const start = now - (now % 3_600_000);
  return {
    state: newMeterState(o.meterId ?? 'SIPSTER-EMU-0001', o.set ?? 1, 1, new Uint8Array(randomBytes(SEED_BYTES))),
    setSecretKey: o.setSecretKey ?? secretKey(), billSecretKey: secretKey(),
    clockMs: start, periodStartMs: start, sent: 0, sentPrevious: 0, billDue: false, importKwh: [0, 0], pricedSinceToken: 0,
    householdSeed: o.householdSeed ?? randomBytes(4).readUInt32BE(0),
    ...(o.follow ? { follow: { equipmentId: null } } : {}),
  };
}

async function deviceOf(path: string): Promise<string | null> {
  return stat(path).then((s) => `${s.dev}:${s.ino}:${s.rdev}`, () => null);
}

export async function startMeter(o: MeterOptions): Promise<RunningMeter> {
  const speed = o.speed ?? 1;
  const intervalMs = o.intervalMs ?? 1000;
  const baudRate = o.baudRate ?? 115200;
  if (!(speed > 0) || !(intervalMs >= 10) || !(baudRate >= 300)) throw new MeterError('bad-option', 'speed, interval and baud rate must be positive');
  const record = loadRecord(o.seedFile) ?? newRecord(o);
  if (Boolean(record.follow) !== Boolean(o.follow))
    throw new MeterError('bad-option', record.follow ? 'this state file follows a real meter: start it with --follow' : 'this state file belongs to an emulated household: follow mode needs a new state file');
  saveRecord(o.seedFile, record);
  const publicKeys: MeterPublicKeys = {
    meter: record.state.id, set: record.state.set,
    setPublicKey: bytesToHex(p256PublicKey(record.setSecretKey)), billPublicKey: bytesToHex(p256PublicKey(record.billSecretKey)),
  };
  await writeFile(`${o.seedFile}.pub.json`, `${JSON.stringify(publicKeys, null, 2)}\n`);

  const core = new MeterCore(record, {
    periodMs: (o.periodHours ?? 720) * 3_600_000, unitMicros: Math.round((o.unit ?? 0.1) * 1_000_000),
    tariff: o.tariff ?? DEFAULT_TARIFF, backend: o.backend ?? nobleBackend, header: 'SIP5SIPSTER-EMU',
  }, (r) => saveRecord(o.seedFile, r));

  let port: SerialPort | null = null;
  let portGone: Promise<void> = Promise.resolve();
  let signalGone = () => {};
  let device: string | null = null;
  let stopped = false;
  const abort = new AbortController();
  const stream = typeof o.port === 'string' ? null : o.port.stream;
  const path = typeof o.port === 'string' ? o.port : null;
  // A write to a port that vanished may never call back: give up on it when the port is lost.
  const writer = new PacedWriter({
    write: (bytes) => {
      if (stream) {
        if (stream.writable && !stream.writableNeedDrain) stream.write(Buffer.from(bytes));
        return Promise.resolve();
      }
      const p = port;
      if (!p?.isOpen) return Promise.resolve();
      return Promise.race([new Promise<void>((resolve) => p.write(Buffer.from(bytes), () => p.drain(() => resolve()))), portGone]);
    },
  }, baudRate);
  const budget = Math.min(MAX_TELEGRAM_BYTES, Math.floor(((writer.bytesPerSecond * intervalMs) / 1000) * 0.9));

  const lose = (reason: string) => {
    const p = port;
    port = null;
    signalGone();
    if (p?.isOpen) p.close(() => undefined);
    o.onStatus?.({ connected: false, reason });
  };
  let connecting = false;
  const connect = async () => {
    if (connecting) return; // the watch ticks while an open is under way
    connecting = true;
    try {
      await open();
    } finally {
      connecting = false;
    }
  };
  const open = async () => {
    if (!path) return;
    device = await deviceOf(path);
    if (!device || stopped) return;
    const p = new SerialPort({ path, baudRate, autoOpen: false });
    p.on('close', () => port === p && lose('port closed'));
    p.on('error', () => port === p && lose('port error'));
    await new Promise<void>((resolve) => p.open((err) => {
      if (!err && !stopped) {
        port = p;
        portGone = new Promise((gone) => (signalGone = gone));
        o.onStatus?.({ connected: true });
      } else if (p.isOpen) p.close(() => undefined);
      resolve();
    }));
  };
  const watch = path === null ? undefined : setInterval(() => {
    void deviceOf(path).then((now) => {
      if (stopped) return;
      if (port && now !== device) lose(now ? 'device replaced' : 'device gone');
      else if (!port && now) void connect();
    });
  }, 250);
  if (stream) o.onStatus?.({ connected: true });
  else await connect();

  const realStart = performance.now();
  const emuStart = record.clockMs;
  const emulatedNow = () => emuStart + (performance.now() - realStart) * speed;
  const loop = (async () => {
    while (!stopped) {
      const tickStart = performance.now();
      if (!o.follow) core.advance(emulatedNow());
      if ((port || stream) && record.follow?.equipmentId !== null) {
        const { bytes, stats } = core.telegram(budget);
        await writer.write(bytes, abort.signal);
        o.onTelegram?.(stats);
      }
      const wait = intervalMs - (performance.now() - tickStart);
      if (wait > 0 && !stopped) await sleep(wait, undefined, { signal: abort.signal }).catch(() => undefined);
    }
  })();

  return {
    publicKeys,
    record,
    emulatedNow,
    follow: (reading) => core.follow(reading),
    async stop() {
      stopped = true;
      abort.abort();
      clearInterval(watch);
      await loop;
      const p = port;
      port = null;
      if (p?.isOpen) await new Promise<void>((resolve) => p.close(() => resolve()));
      saveRecord(o.seedFile, core.record);
    },
  };
}
