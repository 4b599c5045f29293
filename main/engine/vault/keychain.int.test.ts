// The wallet key in a real OS keychain: gnome-keyring-daemon's Secret Service in its own D-Bus session
// (dbus-run-session), reached by the headless CLI through @napi-rs/keyring, as on a Linux desktop.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..', '..');

function needTools(): void {
  for (const [tool, pkg] of [['dbus-run-session', 'dbus-daemon'], ['gnome-keyring-daemon', 'gnome-keyring']] as const)
    if (spawnSync(tool, ['--version']).error) throw new Error(`${tool} is needed for the keychain test (apt-get install ${pkg})`);
}

describe('the wallet key in the OS keychain (Secret Service, real gnome-keyring-daemon)', () => {
  it('headless without a passphrase: the key is made in the keychain and found again; outside that session the wallet is locked', async () => {
    needTools();
    const dir = mkdtempSync(join(tmpdir(), 'sipster-keychain-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const data = join(dir, 'data');
    const home = join(dir, 'home');
    // A login keyring of its own (HOME), unlocked, then the CLI twice in the same session.
    const session = join(dir, 'session.sh');
    writeFileSync(session, [
      'set -e',
      `export HOME='${home}'`, `mkdir -p "$HOME"`,
      "printf 'keyring-password' | gnome-keyring-daemon --daemonize --unlock --components=secrets > /dev/null",
      `node --import tsx main/host/cli.ts status --data '${data}' --json > '${dir}/first.json'`,
      `node --import tsx main/host/cli.ts status --data '${data}' --json > '${dir}/second.json'`,
    ].join('\n'));
    await run('dbus-run-session', ['--', 'sh', session], { cwd: ROOT, timeout: 120_000 });
    for (const f of ['first.json', 'second.json']) expect(JSON.parse(readFileSync(join(dir, f), 'utf8'))).toMatchObject({ dataDir: data, wallet: { balance: 0 } });
    expect(readFileSync(join(data, 'wallet.sqlite')).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    // No keychain session: no key, and the wallet says how to unlock.
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
    delete env.DBUS_SESSION_BUS_ADDRESS;
    await expect(run('node', ['--import', 'tsx', 'main/host/cli.ts', 'status', '--data', data, '--json'], { cwd: ROOT, env, timeout: 60_000 }))
      .rejects.toMatchObject({ stderr: expect.stringMatching(/(^|\n)wallet-locked: .*--passphrase-file/) });
  });
});
