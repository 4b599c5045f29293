import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkWorkflow, WORKFLOW } from './workflow-check.js';

const good = readFileSync(WORKFLOW, 'utf8');
/** The workflow with one planted error; the replaced text must be there. */
function planted(from: string | RegExp, to: string): string {
  const bad = good.replace(from, to);
  expect(bad, `planting ${String(from)}`).not.toBe(good);
  return bad;
}
const messages = (text: string) => checkWorkflow(text).map((p) => `${p.where}: ${p.message}`).join('\n');

describe('.github/workflows/release.yml, checked offline', () => {
  it('passes the GitHub workflow schema and the project rules', () => {
    expect(checkWorkflow(good)).toEqual([]);
  });

  it('fails on planted schema errors: a job without runs-on, a misspelt key, a step with both uses and run', () => {
    expect(messages(planted('    runs-on: ${{ matrix.runner }}\n', ''))).toMatch(/schema \/jobs\/installers: must have required property 'runs-on'/);
    expect(messages(planted('    timeout-minutes: 60', '    timeout-minute: 60'))).toMatch(/schema \/jobs\/installers/);
    expect(messages(planted('      - uses: actions/checkout@v4', '      - uses: actions/checkout@v4\n        run: echo both'))).toMatch(/schema \/jobs\/tor-sums\/steps\/0/);
    expect(messages('on: [push\njobs: {')).toMatch(/^yaml: /);
  });

  it('fails on planted project errors, naming each', () => {
    expect(messages(planted('npm run -s build:app', 'npm run -s build:apps'))).toMatch(/npm run build:apps: package.json has no such script/);
    expect(messages(planted('scripts/release/fetch-tor.ts', 'scripts/release/fetch-tor2.ts'))).toMatch(/scripts\/release\/fetch-tor2.ts does not exist/);
    expect(messages(planted('actions/setup-python@v5', 'actions/setup-python'))).toMatch(/actions\/setup-python is not pinned/);
    expect(messages(planted('secrets.APPLE_TEAM_ID }}\n', 'secrets.GITHUB_TOKEN }}\n'))).toMatch(/reads secret GITHUB_TOKEN/);
    expect(messages(planted('runner: macos-14', 'runner: ubuntu-22.04'))).toMatch(/no macos runner/);
    expect(messages(planted('--win nsis', '--win portable'))).toMatch(/no nsis installer/);
    expect(messages(planted("run: ${{ runner.os == 'Linux' && 'xvfb-run -a ' || '' }}npm run -s test:electron -- --unpacked", 'run: npm run -s test:electron -- --unpacked')))
      .toMatch(/must run under xvfb-run on Linux/);
  });
});
