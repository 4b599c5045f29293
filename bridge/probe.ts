/**
 * Which port speaks P1, and at which line settings: each port is opened briefly at 115200 8N1 (DSMR ≥ 4 and every
 * Sipster meter) and listened to through the bridge's own reader; it speaks `dsmr4` when a telegram with a valid CRC
 * was heard. A port that did not is then opened at 9600 7E1 (DSMR 2.2/3.0), where telegrams carry no CRC: it speaks
 * `dsmr22` when a whole telegram was heard whose every line is an OBIS object (noise at the wrong speed never
 * decodes into one). Those meters send every 10 s, so that second listen takes up to `listenMs22`. Ports are probed
 * in parallel; a port that cannot be opened (busy, no permission) speaks neither.
 * @module
 */
import { SerialPort } from 'serialport';
import { LinkReader } from './link-reader.js';
import { LINE_SETTINGS, type LineSettings } from './serial-link.js';

/** A DSMR 5 meter sends every second; 2.5 s hears at least one whole telegram. */
export const PROBE_LISTEN_MS = 2500;
/** A DSMR 2.2/3.0 meter sends every 10 s; 11 s hears at least one whole telegram. */
export const PROBE_LISTEN_MS_22 = 11_000;

function listen(path: string, line: LineSettings, listenMs: number): Promise<boolean> {
  const reader = new LinkReader({ requireCrc: line === 'dsmr4' });
  const port = new SerialPort({ path, ...LINE_SETTINGS[line], autoOpen: false });
  return new Promise<boolean>((resolve) => {
    let done = false;
    const finish = (heard: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      port.removeAllListeners('data');
      if (port.isOpen) port.close(() => resolve(heard));
      else resolve(heard);
    };
    const timer = setTimeout(() => finish(false), listenMs);
    port.on('data', (chunk: Buffer) => {
      if (reader.push(chunk).results.some((r) => r.ok && r.readings.objects > 0)) finish(true);
    });
    port.on('error', () => finish(false));
    port.open((err) => err && finish(false));
  });
}

/** The settings the probe tries: plain DSMR (an encrypted meter is not recognised by listening). */
export type P1Line = Exclude<LineSettings, 'mbus'>;

/** @returns the line settings a P1 telegram was heard at, or null. */
export async function probeP1(path: string, listenMs = PROBE_LISTEN_MS, listenMs22 = PROBE_LISTEN_MS_22): Promise<P1Line | null> {
  if (await listen(path, 'dsmr4', listenMs)) return 'dsmr4';
  return (await listen(path, 'dsmr22', listenMs22)) ? 'dsmr22' : null;
}

/** Every path probed at once; the answer in the same order. */
export const probePorts = (paths: readonly string[], listenMs = PROBE_LISTEN_MS, listenMs22 = PROBE_LISTEN_MS_22): Promise<(P1Line | null)[]> =>
  Promise.all(paths.map((p) => probeP1(p, listenMs, listenMs22)));
