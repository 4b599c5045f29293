/**
 * npm run sim:timing [-- --households 1000 --runs 5 --seed 1]  →  bench/timing.json
 *
 * Can an observer of every payment's arrival time at the UC (unlabelled) and of every settlement (labelled with the
 * meter ID) estimate one household's K better than from the period alone? 1,000 households of different sizes share
 * one UC for a 30-day period with a 5-day grace window. Each household's computer is online in daily sessions (a
 * third always on); the meter's carousel hands it the tokens it missed when it comes back, so a naive engine pays
 * in bursts. Two engines, same households:
 *   naive      pays each token as soon as it has it (4 at a time, like payDue), settles as soon as the bill is in
 *              and all is paid
 *   scheduled  main/engine/scheduler: random delays, a paced queue, settlement drawn first inside the grace window
 * The attacker is generous: it knows the true K of half the households and fits, on them, K against features of the
 * arrivals before each settlement (counts in 7 windows, bursts ending at the settlement, the settlement delay),
 * by least squares and by k-nearest neighbours; it is scored on the other half against the baseline (the train
 * mean). docs/timing-privacy.md explains the model and the figures.
 * @module
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  type Random, type TimingPolicy, dueTime, isLate, nextSendTime, paymentDeadline, policyForPeriod, seededRandom, settlementTime,
} from '../main/engine/scheduler/index.js';

const { values } = parseArgs({ options: {
  households: { type: 'string', default: '1000' }, runs: { type: 'string', default: '5' }, seed: { type: 'string', default: '1' },
} });
const SEC = 1_000, HOUR = 3_600_000, DAY = 24 * HOUR;
const PERIOD = 30 * DAY, GRACE = 5 * DAY;
const policy = policyForPeriod(PERIOD, GRACE);
const SIZES = [1, 2, 3, 4, 5], SIZE_SHARE = [0.28, 0.34, 0.16, 0.15, 0.07], KWH_PER_DAY = [5, 8, 10, 12, 14];
const KWH_PER_TOKEN = 0.6; // a unit of expense; a 2-person household pays ~400 tokens a month
const WINDOWS = [5 * SEC, 30 * SEC, 120 * SEC, 600 * SEC, HOUR, 6 * HOUR, DAY];
const BURST_GAPS = [1 * SEC, 3 * SEC, 10 * SEC];
const NAIVE_WORKERS = 4;

const normal = (rng: Random) => Math.sqrt(-2 * Math.log1p(-rng())) * Math.cos(2 * Math.PI * rng());
const latency = (rng: Random) => 300 * Math.exp(0.5 * normal(rng)); // a fresh Tor circuit: ~300 ms median

/** How the household runs the app: always, a few hours every day, or only from the period's end until settled. */
type Kind = 'always-on' | 'daily' | 'period-end';
const SHARE: Record<Kind, number> = { 'always-on': 0.3, daily: 0.5, 'period-end': 0.2 };
interface Household { kind: Kind; size: number; K: number; tokens: number[]; sessions: [number, number][] }

function makeHousehold(rng: Random): Household {
  let u = rng(), i = 0;
  while (i < SIZES.length - 1 && (u -= SIZE_SHARE[i]!) > 0) i++;
  const K = Math.max(1, Math.round((30 * KWH_PER_DAY[i]! * Math.exp(0.35 * normal(rng) - 0.06)) / KWH_PER_TOKEN));
  const tokens = Array.from({ length: K }, () => {
    const r = rng(); // evening and morning peaks over a flat base load
    const hour = r < 0.35 ? 19 + 2 * normal(rng) : r < 0.55 ? 7.5 + 1.5 * normal(rng) : 24 * rng();
    return Math.floor(rng() * 30) * DAY + (((hour % 24) + 24) % 24) * HOUR;
  }).sort((a, b) => a - b);
  const sessions: [number, number][] = [];
  const draw = rng();
  const kind: Kind = draw < SHARE['always-on'] ? 'always-on' : draw < SHARE['always-on'] + SHARE.daily ? 'daily' : 'period-end';
  if (kind === 'always-on') sessions.push([-DAY, 60 * DAY]);
  else if (kind === 'daily') { // a desktop switched on every day at about the same hour
    const start = 6 + 16 * rng(), length = 2 + 8 * rng();
    for (let d = -1; d < 60; d++) {
      const s = d * DAY + (start + 2 * rng() - 1) * HOUR;
      sessions.push([s, s + (length + 2 * rng() - 1) * HOUR]);
    }
  } else sessions.push([PERIOD + 2 * DAY * rng(), 60 * DAY]); // opened when the bill is due, then left running
  return { kind, size: SIZES[i]!, K, tokens, sessions };
}

/** The first moment ≥ t when the household's engine runs. */
function nextOnline(h: Household, t: number): number {
  for (const [s, e] of h.sessions) if (e > t) return Math.max(s, t);
  throw new Error('simulation ran past its sessions');
}

/** Send times (at the household) and arrival times (at the UC) of its payments, and when its settlement arrived. */
interface Trace { sends: number[]; arrivals: number[]; settledAt: number }

function naive(h: Household, rng: Random): Trace {
  const sends: number[] = [], arrivals: number[] = [];
  // NAIVE_WORKERS payments at a time (the engine's payDue default): each worker sends its next payment once the
  // receipt of its last one is back.
  const free = Array<number>(NAIVE_WORKERS).fill(-Infinity);
  for (const t of h.tokens) {
    const w = free.indexOf(Math.min(...free));
    const send = Math.max(nextOnline(h, t), free[w]!);
    const there = send + latency(rng);
    sends.push(send);
    arrivals.push(there);
    free[w] = there + latency(rng);
  }
  return { sends, arrivals, settledAt: Math.max(nextOnline(h, PERIOD), ...free) + latency(rng) };
}

function scheduled(h: Household, rng: Random, p: TimingPolicy): Trace {
  let settleAt = settlementTime(PERIOD, p, rng);
  const due = h.tokens.map((t) => {
    const received = nextOnline(h, t);
    // An engine that was off draws its settlement again, so late tokens are spread as well.
    if (isLate(received, paymentDeadline(settleAt, p))) settleAt = settlementTime(PERIOD, p, rng, received + p.settleAfterMs);
    return dueTime(received, paymentDeadline(settleAt, p), p, rng);
  }).sort((a, b) => a - b);
  const deadline = paymentDeadline(settleAt, p);
  const sends: number[] = [];
  let last: number | null = null;
  due.forEach((d, i) => {
    last = nextOnline(h, nextSendTime(nextOnline(h, d), last, due.length - i, deadline, p, rng));
    sends.push(last);
  });
  const after = last === null ? settleAt : Math.max(settleAt, last + p.settleMarginMs);
  return { sends, arrivals: sends.map((t) => t + latency(rng)), settledAt: nextOnline(h, after) + latency(rng) };
}

/** First index with a[i] > x (a sorted). */
function upper(a: Float64Array, x: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) { const m = (lo + hi) >> 1; if (a[m]! <= x) lo = m + 1; else hi = m; }
  return lo;
}

/** What the observer can compute for one settlement from the unlabelled arrivals. */
function features(all: Float64Array, s: number): number[] {
  const end = upper(all, s);
  const counts = WINDOWS.map((w) => end - upper(all, s - w));
  const bursts = BURST_GAPS.map((gap) => { // arrivals chained by gaps < gap that end just before the settlement
    let n = 0;
    for (let i = end - 1, next = s; i >= 0 && next - all[i]! < gap; next = all[i]!, i--) n++;
    return n;
  });
  return [...counts, ...bursts, (s - PERIOD) / HOUR];
}

type Fit = (trainX: number[][], trainY: number[], testX: number[][]) => number[];

function standardise(train: number[][], rows: number[][]): number[][] {
  const m = train[0]!.map((_, j) => train.reduce((a, r) => a + r[j]!, 0) / train.length);
  const sd = train[0]!.map((_, j) => Math.sqrt(train.reduce((a, r) => a + (r[j]! - m[j]!) ** 2, 0) / train.length) || 1);
  return rows.map((r) => r.map((v, j) => (v - m[j]!) / sd[j]!));
}

/** Least squares with an intercept (a whisker of ridge keeps constant features solvable). */
const leastSquares: Fit = (trainX, trainY, testX) => {
  const X = standardise(trainX, trainX).map((r) => [1, ...r]);
  const d = X[0]!.length;
  const A = Array.from({ length: d }, (_, i) => [
    ...Array.from({ length: d }, (_, j) => X.reduce((a, r) => a + r[i]! * r[j]!, 0) + (i === j ? 1e-6 * X.length : 0)),
    X.reduce((a, r, k) => a + r[i]! * trainY[k]!, 0),
  ]);
  for (let c = 0; c < d; c++) { // Gauss-Jordan with partial pivoting
    const p = A.reduce((best, r, i) => (i >= c && Math.abs(r[c]!) > Math.abs(A[best]![c]!) ? i : best), c);
    [A[c], A[p]] = [A[p]!, A[c]!];
    for (let i = 0; i < d; i++) if (i !== c) {
      const f = A[i]![c]! / A[c]![c]!;
      for (let j = c; j <= d; j++) A[i]![j]! -= f * A[c]![j]!;
    }
  }
  const beta = A.map((r, i) => r[d]! / r[i]!);
  return standardise(trainX, testX).map((r) => beta[0]! + r.reduce((a, v, j) => a + v * beta[j + 1]!, 0));
};

const nearestNeighbours = (k: number, only?: number): Fit => (trainX, trainY, testX) => {
  const cols = (rows: number[][]) => (only === undefined ? rows : rows.map((r) => [r[only]!]));
  const train = standardise(cols(trainX), cols(trainX));
  return standardise(cols(trainX), cols(testX)).map((q) => {
    const near = train.map((r, i) => [r.reduce((a, v, j) => a + (v - q[j]!) ** 2, 0), trainY[i]!] as const)
      .sort((a, b) => a[0] - b[0]).slice(0, k);
    return near.reduce((a, [, y]) => a + y, 0) / near.length;
  });
};

const FEATURES = [
  ...WINDOWS.map((w) => `arrivals in the ${w / SEC} s before`), ...BURST_GAPS.map((g) => `burst (gaps < ${g / SEC} s) ending at the settlement`),
  'settlement delay',
];
/** The attacker's models: least squares on everything, and k-nearest neighbours on everything and on each feature. */
const MODELS: [string, Fit][] = [
  ['least squares, all features', leastSquares],
  ['25 nearest neighbours, all features', nearestNeighbours(25)],
  ...FEATURES.map((f, j): [string, Fit] => [`15 nearest neighbours on ${f}`, nearestNeighbours(15, j)]),
  // "A long burst right before a settlement is that household's backlog": take it as K when it is long enough.
  ...BURST_GAPS.flatMap((g, b) => [20, 50, 100].map((min): [string, Fit] => [`burst (gaps < ${g / SEC} s) as K when ≥ ${min}`,
    (_X, trainY, testX) => testX.map((r) => (r[WINDOWS.length + b]! >= min ? r[WINDOWS.length + b]! : mean(trainY)))])),
];

const rmse = (pred: number[], y: number[]) => Math.sqrt(pred.reduce((a, p, i) => a + (p - y[i]!) ** 2, 0) / y.length);
const round = (x: number, d = 3) => Number(x.toFixed(d));
const pick = <T>(a: T[], idx: number[]) => idx.map((i) => a[i]!);
const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;

/** The attacker picks its model by 5-fold cross-validation on the households whose K it knows. */
function selectModel(X: number[][], y: number[]): [string, Fit] {
  const folds = 5;
  const cv = MODELS.map(([, fit]) => mean(Array.from({ length: folds }, (_, f) => {
    const inFold = X.map((_, i) => i % folds === f);
    const tr = X.flatMap((_, i) => (inFold[i] ? [] : [i])), te = X.flatMap((_, i) => (inFold[i] ? [i] : []));
    return rmse(fit(pick(X, tr), pick(y, tr), pick(X, te)), pick(y, te));
  })));
  return MODELS[cv.indexOf(Math.min(...cv))]!;
}

function attack(households: Household[], traces: Trace[], rng: Random) {
  const all = Float64Array.from(traces.flatMap((t) => t.arrivals)).sort();
  const X = traces.map((t) => features(all, t.settledAt));
  const y = households.map((h) => h.K);
  const order = y.map((_, i) => [rng(), i] as const).sort((a, b) => a[0] - b[0]).map(([, i]) => i);
  const [train, test] = [order.slice(0, y.length >> 1), order.slice(y.length >> 1)];
  const [trainX, trainY, testX, testY] = [pick(X, train), pick(y, train), pick(X, test), pick(y, test)];
  const baseline = testY.map(() => mean(trainY));
  const ratio = (pred: number[], idx = testY.map((_, i) => i)) =>
    round(rmse(pick(pred, idx), pick(testY, idx)) / rmse(pick(baseline, idx), pick(testY, idx)));
  const kinds = pick(households, test).map((h) => h.kind);
  const byKind = (pred: number[]) => Object.fromEntries((Object.keys(SHARE) as Kind[]).map((k) =>
    [k, ratio(pred, kinds.flatMap((kk, i) => (kk === k ? [i] : [])))]));
  /** Share of households whose K the estimate gets within ±10 %. */
  const within10 = (pred: number[]) => round(pred.filter((p, i) => Math.abs(p - testY[i]!) <= 0.1 * testY[i]!).length / testY.length);
  const [model, fit] = selectModel(trainX, trainY);
  const chosen = fit(trainX, trainY, testX);
  const everyModel = MODELS.map(([, f]) => ratio(f(trainX, trainY, testX)));
  const ownBefore = traces.map((t) => t.arrivals.filter((a) => a <= t.settledAt && a > t.settledAt - HOUR).length);
  return {
    baselineRmse: round(rmse(baseline, testY), 1),
    attack: { model, rmse: round(rmse(chosen, testY), 1), ratio: ratio(chosen), ratioByKind: byKind(chosen), within10pc: within10(chosen) },
    baselineWithin10pc: within10(baseline),
    bestModelOnTestRatio: Math.min(...everyModel),
    meanOwnPaymentsInHourBeforeSettlement: round(mean(ownBefore), 2),
    correlationBurstK: round(correlation(X.map((f) => f[WINDOWS.length + 1]!), y)),
  };
}

function correlation(a: number[], b: number[]): number {
  const ma = a.reduce((s, x) => s + x, 0) / a.length, mb = b.reduce((s, x) => s + x, 0) / b.length;
  const cov = a.reduce((s, x, i) => s + (x - ma) * (b[i]! - mb), 0);
  const va = a.reduce((s, x) => s + (x - ma) ** 2, 0), vb = b.reduce((s, x) => s + (x - mb) ** 2, 0);
  return va && vb ? cov / Math.sqrt(va * vb) : 0;
}

/** Households that settled after the grace window closed. */
const late = (traces: Trace[]) => traces.filter((t) => t.settledAt > PERIOD + GRACE).length;
const n = Number(values.households), runs = Number(values.runs), seed = Number(values.seed);
const results = Array.from({ length: runs }, (_, r) => {
  const rng = seededRandom(seed * 1_000 + r);
  const households = Array.from({ length: n }, () => makeHousehold(rng));
  const naiveTraces = households.map((h) => naive(h, rng));
  const scheduledTraces = households.map((h) => scheduled(h, rng, policy));
  const minGap = scheduledTraces.reduce((m, t) => t.sends.reduce((mm, x, i) => (i ? Math.min(mm, x - t.sends[i - 1]!) : mm), m), Infinity);
  return {
    run: r, payments: households.reduce((a, h) => a + h.K, 0),
    settledAfterGrace: { naive: late(naiveTraces), scheduled: late(scheduledTraces) },
    naive: attack(households, naiveTraces, rng),
    scheduled: { ...attack(households, scheduledTraces, rng), minGapBetweenOwnPaymentsS: round(minGap / SEC, 1),
      lastSettlementAfterPeriodEndH: round((scheduledTraces.reduce((m, t) => Math.max(m, t.settledAt), 0) - PERIOD) / HOUR, 1) },
  };
});
const summary = (mode: 'naive' | 'scheduled') => {
  const stat = (xs: number[]) => ({ mean: round(mean(xs)), min: round(Math.min(...xs)), max: round(Math.max(...xs)) });
  return {
    attackRmseOverBaseline: stat(results.map((r) => r[mode].attack.ratio)),
    periodEndHouseholds: stat(results.map((r) => r[mode].attack.ratioByKind['period-end']!)),
    bestModelOnTest: stat(results.map((r) => r[mode].bestModelOnTestRatio)),
    within10pc: stat(results.map((r) => r[mode].attack.within10pc)),
    baselineWithin10pc: stat(results.map((r) => r[mode].baselineWithin10pc)),
  };
};
const report = {
  about: 'RMSE of the best attacker estimate of K over the baseline (train mean): 1 = no better than the period alone. See docs/timing-privacy.md.',
  model: { households: n, naiveWorkers: NAIVE_WORKERS, runs, seed, periodDays: 30, graceDays: 5, kwhPerToken: KWH_PER_TOKEN, kindShare: SHARE, sizes: SIZES, sizeShare: SIZE_SHARE, kwhPerDay: KWH_PER_DAY },
  policy, summary: { naive: summary('naive'), scheduled: summary('scheduled') }, results,
};
writeFileSync(new URL('../bench/timing.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(report.summary)}\n`);
