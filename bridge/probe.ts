/**
 * Which port speaks P1: each port is opened briefly at 115200 8N1 (DSMR ≥ 4 and every Sipster meter) and listened
 * to through the bridge's own reader; a port speaks P1 when a telegram with a valid CRC was heard. DSMR 2.2/3
 * meters (9600 7E1) send no CRC, so they cannot be told from noise this way and are not probed for. Ports are
 * probed in parallel, each for at most `listenMs`; a port that cannot be opened (busy, no permission) reads false.
 * @module
 */
import { SerialPort } from 'serialport';
import { LinkReader } from './link-reader.js';

/** A DSMR 5 meter sends every second; 2.5 s hears at least one whole telegram. */
export const PROBE_LISTEN_MS = 2500;

export async function probeP1(path: string, listenMs = PROBE_LISTEN_MS): Promise<boolean> {
  const reader = new LinkReader({ requireCrc: true });
  const port = new SerialPort({ path, baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1, autoOpen: false });
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
      if (reader.push(chunk).results.some((r) => r.ok)) finish(true);
    });
    port.on('error', () => finish(false));
    port.open((err) => err && finish(false));
  });
}

/** Every path probed at once; the answer in the same order. */
export const probePorts = (paths: readonly string[], listenMs = PROBE_LISTEN_MS): Promise<boolean[]> =>
  Promise.all(paths.map((p) => probeP1(p, listenMs)));
