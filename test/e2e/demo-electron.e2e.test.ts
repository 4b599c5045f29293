// `npm run demo` with Electron installed hands the window to the Electron app, which runs its own engine with the
// shared launch options. Electron's binary cannot be installed here, so a stand-in executable (found through
// electron's own ELECTRON_OVERRIDE_DIST_PATH) records its arguments and runs them through the headless CLI, which
// reads the same options: this shows the demo's hand-over (build, arguments, meter keys, pty), not an Electron window.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';

describe('npm run demo with Electron installed', () => {
  it('starts the app with the launch options of its stack, and its engine reads the meter on the pty', async () => {
    if (spawnSync('socat', ['-V']).error) throw new Error('socat is needed (apt-get install socat)');
    const dir = mkdtempSync(join(tmpdir(), 'sipster-demo-electron-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const dist = join(dir, 'electron-dist');
    mkdirSync(dist);
    const argsFile = join(dir, 'args.txt');
    // The stand-in: `electron <app main> <options…>` → the CLI with the same options.
    writeFileSync(join(dist, 'electron'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}'\nshift\nexec node --import tsx main/host/cli.ts run --json "$@"\n`);
    chmodSync(join(dist, 'electron'), 0o755);

    const demo = spawn('node', ['--import', 'tsx', 'scripts/demo.ts', '--data', join(dir, 'data'), '--no-tor', '--period-seconds', '10'], {
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: dist, BROWSER: '' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    demo.stdout.on('data', (d) => (out += String(d)));
    demo.stderr.on('data', (d) => (out += String(d)));
    const exited = new Promise<number | null>((resolve) => demo.once('exit', resolve));
    onTestFinished(() => void demo.kill('SIGKILL'));
    for (let i = 0; i < 1800 && !out.includes('"kind":"token-received"'); i++) await new Promise((r) => setTimeout(r, 100));
    demo.kill('SIGINT');
    const code = await exited;

    expect(out).toContain('The Sipster Home window is open (Electron)');
    expect(out).toContain('"kind":"token-received"'); // the app's engine reads the meter through the pty
    const args = readFileSync(argsFile, 'utf8').trim().split('\n');
    expect(args[0]).toMatch(/dist\/electron\/main\.mjs$/);
    expect(args).toEqual(expect.arrayContaining(['--data', '--uc', '--serial', '--meter-keys', '--socks', '--socks-label', 'demo-hop']));
    expect(JSON.parse(readFileSync(args[args.indexOf('--meter-keys') + 1]!, 'utf8'))).toMatchObject({ meter: 'SIPSTER-DEMO-0001' });
    expect(code).toBe(0); // the app closed on Ctrl-C, then the demo's stack
  }, 240_000);
});
