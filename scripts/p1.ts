/**
 * `npm run -s p1 -- decode <file|->` prints one JSON object per telegram read from a file or stdin
 * (`--key HEX [--auth-key HEX|none]` for an encrypted P1 or DLMS push meter: the framing is found by itself;
 * `--hex` when the file is the wire bytes written as hex text);
 * `npm run -s p1 -- listen <port>` prints them live from a serial port or a network meter (`tcp://HOST:PORT`,
 * `homewizard://HOST[:PORT]`); `npm run -s p1 -- --list`
 * shows candidate ports. `--keys <file>` (a meter's .pub.json) checks token and bill signatures;
 * `--dsmr22` reads a DSMR 2.2/3.0 meter (9600 7E1, no CRC; on a network meter: no CRC).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DlmsLinkReader, LinkReader, listPorts, meterKeysFromJson, openNetworkLink, openSerialLink, parseNetworkSource, telegramResultToJson, type TelegramResult } from '../bridge/index.js';
import { fastestBackend } from '../curve-backends/index.js';
import { sniffFraming } from '../protocol/index.js';
import { dlmsKeysFrom, fromHexText } from './p1-dlms.js';

const USAGE = `usage: npm run -s p1 -- decode <file|-> [--keys F] [--key HEX [--auth-key HEX|none]] [--hex]
       npm run -s p1 -- listen <port | usb:VID[:PID] | tcp://HOST:PORT | homewizard://HOST[:PORT]> [--keys F] [--dsmr22]
       npm run -s p1 -- --list`;

const print = (r: TelegramResult) => process.stdout.write(`${JSON.stringify(telegramResultToJson(r))}\n`);

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { keys: { type: 'string' }, key: { type: 'string' }, 'auth-key': { type: 'string' }, hex: { type: 'boolean' }, dsmr22: { type: 'boolean' }, list: { type: 'boolean' }, help: { type: 'boolean' } },
  });
  const keys = values.keys ? meterKeysFromJson(JSON.parse(readFileSync(values.keys, 'utf8'))) : undefined;
  const common = { ...(keys ? { keys } : {}), backend: fastestBackend() };
  const [command, target] = positionals;
  if (values.list) {
    for (const p of await listPorts()) process.stdout.write(`${JSON.stringify(p)}\n`);
    return 0;
  }
  if (command === 'decode' && target) {
    const raw = readFileSync(target === '-' ? 0 : target);
    const bytes = values.hex ? fromHexText(raw.toString('latin1')) : raw;
    const dlms = dlmsKeysFrom(values);
    const framing = sniffFraming(bytes);
    const reader = dlms && framing !== 'dsmr'
      ? new DlmsLinkReader({ ...common, dlms })
      : new LinkReader({ ...common, requireCrc: false }); // a file may hold any meter's telegrams, DSMR 2.2 included
    const results = [...reader.push(bytes).results, ...reader.end().results];
    results.forEach(print);
    if (!dlms && framing === 'dlms' && !results.some((r) => r.ok)) {
      console.error('p1: no telegram, but these look like DLMS frames (an encrypted meter): give its key with --key');
      return 1;
    }
    return 0;
  }
  if (command === 'listen' && target) {
    const usb = /^usb:([0-9a-fA-Fx]+)(?::([0-9a-fA-Fx]+))?$/.exec(target);
    const line = values.dsmr22 ? 'dsmr22' : 'dsmr4';
    const onStatus = (s: { connected: boolean; path?: string; reason?: string }) => console.error(s.connected ? `p1: reading ${s.path}` : `p1: ${s.reason}, retrying`);
    const link = /^[a-z]+:\/\//.test(target)
      ? openNetworkLink({ ...common, source: parseNetworkSource(target), line, onTelegram: print, onStatus })
      : openSerialLink({ ...common, port: usb ? { vendorId: usb[1]!, ...(usb[2] ? { productId: usb[2] } : {}) } : target, line, onTelegram: print, onStatus });
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await link.close();
    console.error(`p1: ${JSON.stringify(link.counters)}`);
    return 0;
  }
  console.error(USAGE);
  return values.help ? 0 : 2;
}

main().then((code) => (process.exitCode = code), (e: Error) => {
  console.error(`p1: ${e.message}`);
  process.exitCode = 1;
});
