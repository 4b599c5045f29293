/**
 * A noisy cable: reads one pty through the real serialport binding and writes another, flipping,
 * dropping or inserting a byte in a given fraction of telegrams (a telegram starts at each '/').
 * The fault model is per telegram because the P1 CRC covers a whole telegram: at a per-byte error
 * rate of 1 %, not one 10 KB telegram in 10^40 would arrive intact (docs/serial-protocol.md §Noise).
 */
import { SerialPort } from 'serialport';
import { seededRandom } from '../../meter-emulator/index.js';

export interface NoisyRelay {
  readonly faults: { flip: number; drop: number; insert: number };
  readonly telegrams: number;
  close(): Promise<void>;
}

const open = (path: string) =>
  new Promise<SerialPort>((resolve, reject) => {
    const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
    port.open((err) => (err ? reject(err) : resolve(port)));
  });

export async function noisyRelay(from: string, to: string, rate: number, seed = 1): Promise<NoisyRelay> {
  const random = seededRandom(seed);
  const [input, output] = await Promise.all([open(from), open(to)]);
  const faults = { flip: 0, drop: 0, insert: 0 };
  let telegrams = 0;
  let lastLength = 1000;
  let position = 0;
  let hitAt = -1;
  input.on('data', (chunk: Buffer) => {
    const out: number[] = [];
    for (const byte of chunk) {
      if (byte === 0x2f) {
        telegrams++;
        lastLength = Math.max(position, 100);
        position = 0;
        hitAt = random() < rate ? Math.floor(random() * lastLength) : -1;
      }
      if (position++ !== hitAt) {
        out.push(byte);
        continue;
      }
      const kind = Math.floor(random() * 3);
      if (kind === 0) out.push(byte ^ (1 << Math.floor(random() * 8)));
      else if (kind === 2) out.push(Math.floor(random() * 256), byte);
      faults[(['flip', 'drop', 'insert'] as const)[kind]!]++;
    }
    output.write(Buffer.from(out));
  });
  return {
    faults,
    get telegrams() {
      return telegrams;
    },
    async close() {
      await Promise.all([input, output].map((p) => new Promise<void>((resolve) => (p.isOpen ? p.close(() => resolve()) : resolve()))));
    },
  };
}
