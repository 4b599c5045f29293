/**
 * `npm run chaos -- [--runs 200] [--seed S] [--period-seconds 12] [--data DIR] [--json] [--out bench/chaos.json]`
 *
 * Kills the home engine with SIGKILL at random moments of top-ups, payments and settlements, restarts it, and
 * checks at the end that every period settled, no unit was lost, no token was paid twice and the mint refused no
 * double spend (scripts/chaos/index.ts). Exits 1 when a check fails. --out writes the figures as JSON.
 * @module
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runChaos } from './index.js';

const { values: v } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' }, seed: { type: 'string' }, 'period-seconds': { type: 'string', default: '12' },
    data: { type: 'string' }, json: { type: 'boolean', default: false }, out: { type: 'string' },
  },
});
const runs = Number(v.runs);
if (!(Number.isInteger(runs) && runs > 0)) throw new Error('--runs wants a positive integer');

const report = await runChaos({
  runs,
  ...(v.seed !== undefined ? { seed: Number(v.seed) } : {}),
  periodSeconds: Number(v['period-seconds']),
  ...(v.data ? { dir: v.data } : {}),
  log: (line) => (v.json ? process.stderr : process.stdout).write(`${line}\n`),
});
const figures = { date: new Date().toISOString(), node: process.version, ...report };
if (v.out) writeFileSync(v.out, `${JSON.stringify(figures, null, 2)}\n`);
if (v.json) process.stdout.write(`${JSON.stringify(figures)}\n`);
else {
  const { kills, recoverMs: r, periods, tokens, coins } = report;
  process.stdout.write([
    `runs ${report.runs} (seed ${report.seed}), kills: top-up ${kills['top-up']}, payment ${kills.payment}, settlement ${kills.settlement}, missed ${report.missed}, nothing left to finish ${report.nothingLeft}`,
    `kills by moment: ${Object.entries(report.killsAt).sort().map(([k, n]) => `${k} ${n}`).join(', ')}`,
    `recovered after restart: p50 ${r.p50} ms, p99 ${r.p99} ms (n ${r.n})`,
    `periods settled ${periods.settled}/${periods.closed}; tokens billed ${tokens.billed}, paid at the UC ${tokens.ucPaid}, already-paid answers ${tokens.alreadyPaidAnswers}`,
    `coins: issued ${coins.issued}, wallet ${coins.walletHeld}, UC ${coins.ucReceived}, lost ${coins.lost}; paid twice ${report.doublePaid}; mint double-spend refusals ${JSON.stringify(report.doubleSpendErrors)}; UC refusals ${JSON.stringify(report.ucRefusals)}`,
    report.ok ? `OK in ${report.wallSeconds} s` : `FAILED:\n  ${report.failures.join('\n  ')}`,
  ].join('\n') + '\n');
}
process.exit(report.ok ? 0 : 1);
