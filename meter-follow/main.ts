/**
 * `npm run meter -- --port <path> [--speed N] [--seed-file F] [...]`: the meter emulator on its own, or with
 * `--follow SOURCE` a Sipster meter following a real DSMR meter. It lives here, above both the emulator and the
 * bridge, because follow mode needs both. Logs connection changes, per-telegram sizes and refused readings to
 * stderr; never token bytes, indices, masks or counts.
 * @module
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { hexToBytes } from '../protocol/index.js';
import { fastestBackend } from '../curve-backends/index.js';
import { MeterError, startMeter, type RunningMeter } from '../meter-emulator/index.js';
import { startFollowMeter } from './follow.js';

const USAGE = `usage: npm run meter -- --port <path> [options]
  --port <path>           serial device to write (e.g. /dev/ttyUSB0, or one end of a socat pty pair)
  --seed-file <file>      meter state (created on first start; public keys go to <file>.pub.json) [meter-state.json]
  --speed <n>             emulated seconds per real second (3600 = an hour a second) [1]
  --baud <n>              line speed; bytes are paced at baud/10 per second [115200]
  --interval-ms <n>       one telegram every n ms of real time [1000]
  --period-hours <n>      billing period length, emulated hours [720]
  --unit <amount>         unit of expense in currency [0.10]
  --price-normal <amount> price per kWh, weekdays 07:00-23:00 (tariff 2) [0.30]
  --price-low <amount>    price per kWh, nights and weekends (tariff 1) [0.22]
  --meter-id <id>         meter ID for a new meter [SIPSTER-EMU-0001]
  --set <n>               anonymity set for a new meter [1]
  --set-key-file <file>   the set's shared secret key (64 hex digits) for a new meter [random]
  --start <iso>           emulated start time for a new meter [now]
  --household-seed <n>    seed of the load profile for a new meter [random]
  --follow <source>       follow a real DSMR meter instead of emulating a household: a serial device, tcp://HOST:PORT
                          or homewizard://HOST[:PORT]; its import registers' increase × their prices become tokens
                          (needs a state file of its own; --speed and --household-seed do not apply)
  --line dsmr4|dsmr22     the real meter's line settings (115200 8N1 with CRC, or 9600 7E1 without) [dsmr4]`;

function main(): void {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' }, 'seed-file': { type: 'string', default: 'meter-state.json' }, speed: { type: 'string', default: '1' },
      baud: { type: 'string', default: '115200' }, 'interval-ms': { type: 'string', default: '1000' }, 'period-hours': { type: 'string', default: '720' },
      unit: { type: 'string', default: '0.10' }, 'price-normal': { type: 'string', default: '0.30' }, 'price-low': { type: 'string', default: '0.22' }, 'meter-id': { type: 'string' }, set: { type: 'string' }, 'set-key-file': { type: 'string' },
      start: { type: 'string' }, 'household-seed': { type: 'string' }, follow: { type: 'string' }, line: { type: 'string' }, help: { type: 'boolean' },
    },
  });
  if (values.help || !values.port) {
    console.error(USAGE);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const num = (name: string, v: string | undefined) => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n)) throw new MeterError('bad-option', `--${name} must be a number`);
    return n;
  };
  let telegrams = 0;
  const line = values.line;
  if (line !== undefined && (line !== 'dsmr4' && line !== 'dsmr22' || !values.follow)) {
    console.error('meter: --line wants dsmr4 or dsmr22, and goes with --follow');
    process.exit(2);
  }
  const options = {
    port: values.port, seedFile: values['seed-file']!, baudRate: num('baud', values.baud),
    intervalMs: num('interval-ms', values['interval-ms']), periodHours: num('period-hours', values['period-hours']), unit: num('unit', values.unit),
    tariff: { normalPerKwh: Math.round(num('price-normal', values['price-normal']) * 1e6), lowPerKwh: Math.round(num('price-low', values['price-low']) * 1e6) },
    ...(values['meter-id'] ? { meterId: values['meter-id'] } : {}), ...(values.set ? { set: num('set', values.set) } : {}),
    ...(values['set-key-file'] ? { setSecretKey: hexToBytes(readFileSync(values['set-key-file'], 'utf8').trim(), 32) } : {}),
    ...(values.start ? { startMs: Date.parse(values.start) } : {}),
    backend: fastestBackend(),
    onStatus: (s: { connected: boolean; reason?: string }) => console.error(s.connected ? `meter: writing ${values.port}` : `meter: ${s.reason}, waiting for the port`),
    onTelegram: (s: { bytes: number }) => {
      if (++telegrams % 60 === 1) console.error(`meter: telegram ${telegrams}, ${s.bytes} bytes`);
    },
  };
  const started: Promise<{ meter: RunningMeter; stop(): Promise<void> }> = values.follow
    ? startFollowMeter({
      ...options, source: values.follow, ...(line ? { line } : {}),
      onRefusal: (r) => console.error(`meter: reading refused (${r.code}): ${r.message}`),
      onSourceStatus: (s) => console.error(s.connected ? 'meter: reading the real meter' : `meter: real meter: ${s.reason}`),
    })
    : startMeter({
      ...options, speed: num('speed', values.speed),
      ...(values['household-seed'] ? { householdSeed: num('household-seed', values['household-seed']) } : {}),
    }).then((meter) => ({ meter, stop: () => meter.stop() }));
  void started.then(({ meter, stop }) => {
    console.error(`meter: ${meter.publicKeys.meter} in set ${meter.publicKeys.set}; public keys in ${values['seed-file']}.pub.json`);
    const end = () => void stop().then(() => process.exit(0));
    process.once('SIGINT', end);
    process.once('SIGTERM', end);
  }, (e: Error) => {
    console.error(`meter: ${e.message}`);
    process.exit(1);
  });
}

main();
