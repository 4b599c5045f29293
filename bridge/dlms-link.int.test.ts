/**
 * Encrypted P1 and DLMS push meters on a real pty pair (socat) with the real serialport binding: every
 * vector of testdata/dsmr/encrypted written at its meter's line settings (Austrian Kaifa M-Bus at 2400 8E1,
 * Luxembourg and Landis+Gyr at 115200 8N1) reaches the same verdict as through protocol/ alone.
 */
import { SerialPort } from 'serialport';
import { describe, expect, it, onTestFinished } from 'vitest';
import { dlmsVectors, expectDlmsVerdict, frameBytes, vectorKeys } from '../test/support/dlms-vectors.js';
import type { DecodedJson } from '../test/support/dsmr-testdata.js';
import { waitFor } from '../test/support/link-walk.js';
import { ptyPair } from '../test/support/pty.js';
import { openSerialLink, telegramResultToJson, type LineSettings } from './index.js';

const LINE = { mbus: { baudRate: 2400, parity: 'even' }, dsmr4: { baudRate: 115200, parity: 'none' } } as const;

describe('encrypted meters on a real pty', () => {
  it('reads every vector at its meter\'s line settings, and refuses each negative one for the right reason', async () => {
    const vectors = dlmsVectors();
    expect(vectors).toHaveLength(11);
    for (const v of vectors) {
      const line: LineSettings = v.wrapper === 'mbus' ? 'mbus' : 'dsmr4';
      const pair = await ptyPair();
      onTestFinished(() => pair.close());
      const results: DecodedJson[] = [];
      const link = openSerialLink({ port: pair.b, line, dlms: vectorKeys(v), onTelegram: (r) => results.push(JSON.parse(JSON.stringify(telegramResultToJson(r)))) });
      onTestFinished(() => link.close());
      await waitFor(() => link.connected, 5_000, 'the bridge to open its port');
      const writer = new SerialPort({ path: pair.a, ...LINE[line], dataBits: 8, stopBits: 1, autoOpen: false });
      await new Promise<void>((resolve, reject) => writer.open((e) => (e ? reject(e) : resolve())));
      onTestFinished(() => new Promise<void>((resolve) => (writer.isOpen ? writer.close(() => resolve()) : resolve())));
      await new Promise<void>((resolve) => writer.write(Buffer.from(frameBytes(v)), () => writer.drain(() => resolve())));
      await waitFor(() => results.length > 0, 10_000, `a verdict for ${v.id}`);
      expectDlmsVerdict(v, results);
      await link.close();
      await pair.close();
    }
  });
});
