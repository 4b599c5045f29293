/**
 * `tsx scripts/release/sign-or-skip.ts linux|win|mac`, in the release workflow: says which signing steps run and
 * which are skipped (signing.ts), and hands electron-builder its overrides through $GITHUB_OUTPUT (`builder-args`)
 * and $GITHUB_ENV.
 * @module
 */
import { appendFileSync } from 'node:fs';
import { signingPlan, type ReleaseOs } from './signing.js';

const os = process.argv[2] as ReleaseOs;
if (!['linux', 'win', 'mac'].includes(os)) {
  console.error('usage: sign-or-skip.ts linux|win|mac');
  process.exit(2);
}
const plan = signingPlan(os, process.env);
for (const line of plan.log) console.log(line);
if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `builder-args=${plan.builderArgs.join(' ')}\n`);
if (process.env.GITHUB_ENV) for (const [k, v] of Object.entries(plan.env)) appendFileSync(process.env.GITHUB_ENV, `${k}=${v}\n`);
