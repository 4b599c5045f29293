/**
 * `npm run bench:link` → bench/link.json (issue 3): bytes per token on the wire; tokens per second the
 * link carries at 115200 baud against the theoretical maximum (through a real socat pty, bytes paced by
 * the meter); how long a computer that was off for a day of the emulated clock takes to catch up; the
 * bridge's CPU per telegram (new tokens, which it verifies, and carousel repeats, which it does not);
 * and what noise costs (telegrams hit by a flipped, dropped or inserted byte).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LinkReader, openSerialLink, type MeterKeys } from '../bridge/index.js';
import { fastestBackend } from '../curve-backends/index.js';
import { DEFAULT_TARIFF, loadRecord, MeterCore, saveRecord, startMeter, type MeterRecord } from '../meter-emulator/index.js';
import { bytesToHex, encodeTokenLine, newMeterState, nobleBackend, p256PublicKey, tokenAt, type CurveBackend } from '../protocol/index.js';
import { noisyRelay } from '../test/support/noisy-relay.js';
import { ptyPair } from '../test/support/pty.js';
import { measure, writeReport, type Op } from './measure.js';

const BAUD = 115200;
const BYTES_PER_SECOND = BAUD / 10;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PERIOD_HOURS = 720;
const START = Date.UTC(2026, 0, 5);
const backend = fastestBackend();
const dir = mkdtempSync(join(tmpdir(), 'sipster-bench-link-'));
const key = (fill: number) => new Uint8Array(32).fill(fill);

/** A meter that has run `days` emulated days offline, every token already sent once (heard or not). */
function preparedMeter(file: string, days: number): { record: MeterRecord; core: MeterCore } {
  const record: MeterRecord = {
    state: newMeterState('BENCH-METER', 1, 1, key(5)), setSecretKey: key(1), billSecretKey: key(2), clockMs: START, periodStartMs: START,
    sent: 0, sentPrevious: 0, billDue: false, importKwh: [0, 0], pricedSinceToken: 0, householdSeed: 99,
  };
  const core = new MeterCore(record, { periodMs: PERIOD_HOURS * HOUR, unitMicros: 100_000, tariff: DEFAULT_TARIFF, backend, header: 'SIP5SIPSTER-EMU' }, () => {});
  core.advance(START + days * DAY);
  const markSent = () => {
    record.sent = record.state.current.count;
    record.sentPrevious = record.state.previous?.count ?? 0;
    record.billDue = false;
  };
  markSent();
  saveRecord(file, record);
  return { record, core };
}

const keysOf = (r: MeterRecord): MeterKeys => ({ setPublicKey: p256PublicKey(r.setSecretKey), billPublicKey: p256PublicKey(r.billSecretKey), meter: r.state.id });

/** Meter (in this process, paced at 115200) → real pty pair → bridge; the caller watches the link. */
async function link(file: string, extraPair?: 'noisy', rate = 0) {
  const pair = await ptyPair(mkdtempSync(join(dir, 'pty-')));
  const relayPair = extraPair ? await ptyPair(mkdtempSync(join(dir, 'pty-'))) : null;
  const relay = relayPair ? await noisyRelay(pair.b, relayPair.a, rate, 5) : null;
  const record = loadRecord(file)!;
  const seen = new Map<string, string>();
  const bridge = openSerialLink({
    port: relayPair ? relayPair.b : pair.b, keys: keysOf(record), backend,
    onEvent: (e) => e.kind === 'token' && seen.set(`${e.token.period}/${e.token.index}`, bytesToHex(e.token.T)),
  });
  const meter = await startMeter({ port: pair.a, seedFile: file, speed: 1, backend, periodHours: PERIOD_HOURS });
  return {
    seen, bridge, meter, relay,
    /** Tokens accepted that the meter did not issue (recomputed from its state file). */
    badTokens(): number {
      const r = loadRecord(file)!;
      return [...seen].filter(([k, T]) => {
        const [period, index] = k.split('/').map(Number) as [number, number];
        return period >= r.state.period - 1 && bytesToHex(tokenAt(r.state, period, index, r.setSecretKey, backend).T) !== T;
      }).length;
    },
    async close() {
      await meter.stop();
      await bridge.close();
      await relay?.close();
      await relayPair?.close();
      await pair.close();
    },
  };
}

/** Seconds from `t` until the condition holds (NaN on timeout). */
async function until(condition: () => boolean, timeoutMs: number, t = performance.now()): Promise<number> {
  while (!condition()) {
    if (performance.now() - t > timeoutMs) return Number.NaN;
    await sleep(20);
  }
  return (performance.now() - t) / 1000;
}

// 1. Bytes per token on the wire.
const sample = preparedMeter(join(dir, 'sample.json'), 40);
const tokenLine = encodeTokenLine(tokenAt(sample.record.state, sample.record.state.period, 100, sample.record.setSecretKey, backend)).length + 2;
const emptyTelegram = sample.core.telegram(0).bytes.length;
const budget = Math.floor(BYTES_PER_SECOND * 0.9);
const perTelegram = Math.floor((budget - emptyTelegram) / tokenLine);

// 2. Throughput through a real pty: a carousel of ~900 tokens keeps every telegram full.
const throughputFile = join(dir, 'throughput.json');
preparedMeter(throughputFile, 40);
const run = await link(throughputFile);
await until(() => run.bridge.counters.telegramsOk >= 1, 10_000);
const c0 = { tokens: run.bridge.counters.tokensNew + run.bridge.counters.tokensRepeated, at: performance.now() };
await sleep(10_000);
const measuredTokensPerSecond = (run.bridge.counters.tokensNew + run.bridge.counters.tokensRepeated - c0.tokens) / ((performance.now() - c0.at) / 1000);
await run.close();

// 3. Catch-up: the computer was off for the last emulated day of a 40-day run (previous period full, ten days
//    into the next). The meter's carousel starts at the previous bill, so the last day's tokens come last:
//    a worst case, bounded by one carousel cycle.
const catchFile = join(dir, 'catchup.json');
const before = preparedMeter(join(dir, 'before.json'), 39).record.state.current.count;
const { record: caught } = preparedMeter(catchFile, 40);
const lastDay = Array.from({ length: caught.state.current.count - before }, (_, k) => `${caught.state.period}/${before + k}`);
const everything = [
  ...Array.from({ length: caught.state.previous!.count }, (_, i) => `${caught.state.period - 1}/${i}`),
  ...Array.from({ length: caught.state.current.count }, (_, i) => `${caught.state.period}/${i}`),
];
const catchUpStart = performance.now();
const catchUp = await link(catchFile);
const lastDaySeconds = await until(() => lastDay.every((k) => catchUp.seen.has(k)), 120_000, catchUpStart);
const everythingSeconds = await until(() => everything.every((k) => catchUp.seen.has(k)), 120_000, catchUpStart);
await catchUp.close();

// 4. Bridge CPU per telegram, new tokens (verified) and repeats (recognised), noble and blst.
const telegrams = Array.from({ length: 30 }, () => sample.core.telegram(budget).bytes);
const cpu = (b: CurveBackend, repeat: boolean): Op => {
  const primed = new LinkReader({ keys: keysOf(sample.record), backend: b });
  if (repeat) telegrams.forEach((t) => primed.push(t));
  let i = 0;
  let reader = primed;
  return measure(() => {
    if (!repeat && i % telegrams.length === 0) reader = new LinkReader({ keys: keysOf(sample.record), backend: b });
    reader.push(telegrams[i++ % telegrams.length]!);
  }, { n: 60, warmup: 0 });
};
const cpuOps = {
  bridge_telegram_new_tokens_noble: cpu(nobleBackend, false),
  bridge_telegram_new_tokens_blst: cpu(backend, false),
  bridge_telegram_repeats_blst: cpu(backend, true),
};

// 5. Noise: the time for a carousel of ~500 tokens to arrive whole when a fraction of telegrams is hit.
const noise: Record<string, unknown> = {};
for (const rate of [0.01, 0.05, 0.2, 0.5]) {
  const file = join(dir, `noise-${rate}.json`);
  const { record } = preparedMeter(file, 20);
  const want = Array.from({ length: record.state.current.count }, (_, i) => `${record.state.period}/${i}`);
  const noisy = await link(file, 'noisy', rate);
  const seconds = await until(() => want.every((k) => noisy.seen.has(k)), 180_000);
  const c = noisy.bridge.counters;
  await noisy.close();
  noise[`rate_${rate}`] = {
    tokens: want.length, seconds_to_all: Number(seconds.toFixed(2)), telegrams_relayed: noisy.relay!.telegrams, faults: noisy.relay!.faults,
    telegrams_ok: c.telegramsOk, dropped: c.dropped, bad_tokens_accepted: noisy.badTokens(),
  };
}

writeReport('link.json', cpuOps, {
  wire: {
    baud: BAUD, bytes_per_second: BYTES_PER_SECOND, bytes_per_token: tokenLine, telegram_without_tokens_bytes: emptyTelegram,
    telegram_budget_bytes: budget, tokens_per_telegram: perTelegram,
  },
  throughput: {
    theoretical_max_tokens_per_second: Number((BYTES_PER_SECOND / tokenLine).toFixed(1)),
    one_telegram_a_second_max_tokens_per_second: perTelegram,
    measured_tokens_per_second: Number(measuredTokensPerSecond.toFixed(1)),
    note: 'measured through a socat pty with the meter pacing bytes at 115200 8N1; tokens counted new + carousel repeats',
  },
  catch_up_after_a_day_off: {
    period_hours: PERIOD_HOURS, unit: 0.1, day_of_emulated_clock_tokens: lastDay.length, carousel_tokens: everything.length,
    seconds_until_last_day_complete: Number(lastDaySeconds.toFixed(2)), seconds_until_both_periods_complete: Number(everythingSeconds.toFixed(2)),
  },
  noise,
  cpu_note: 'bridge_telegram_*: time to push one full telegram (~38 token lines) through the link reader, synchronous on one core (= its CPU time); median ms',
});
rmSync(dir, { recursive: true, force: true });
