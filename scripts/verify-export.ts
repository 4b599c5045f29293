/**
 * `npm run -s verify-export -- FILE` (`-` for stdin): checks a period's evidence for a dispute, written by
 * `npm run -s engine -- export` or the window's Export button, with protocol/ alone (docs/dispute.md §Checks).
 * One line per check, then the verdict; exit 0 only when every check holds, 1 when one fails, 2 when the file
 * cannot be read as JSON.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { verifyEvidence } from '../protocol/index.js';

function main(): number {
  const [file] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: npm run -s verify-export -- FILE\n');
    return 2;
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file === '-' ? 0 : file, 'utf8'));
  } catch (e) {
    process.stderr.write(`bad-request: ${file} is not a readable JSON file (${(e as Error).message})\n`);
    return 2;
  }
  const verdict = verifyEvidence(json, (n) => new Uint8Array(randomBytes(n)));
  for (const c of verdict.checks) process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'} ${c.check}: ${c.detail}\n`);
  const failed = verdict.checks.filter((c) => !c.ok).map((c) => c.check);
  process.stdout.write(verdict.ok ? 'verdict: every check holds\n' : `verdict: FAILED (${failed.join(', ')})\n`);
  return verdict.ok ? 0 : 1;
}

process.exitCode = main();
