import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { bytesToHex, p256PublicKey } from '../../protocol/index.js';
import { LaunchOptionError, parseLaunchOptions, type LaunchSettings } from './launch-options.js';

const base: LaunchSettings = { defaultDataDir: '/home/x/wallet' };
const engine = (argv: string[], s: Partial<LaunchSettings> = {}) => parseLaunchOptions(argv, { ...base, ...s }).engine;

function refused(argv: string[], s: Partial<LaunchSettings> = {}): LaunchOptionError {
  try {
    parseLaunchOptions(argv, { ...base, ...s });
  } catch (e) {
    expect(e).toBeInstanceOf(LaunchOptionError);
    return e as LaunchOptionError;
  }
  throw new Error(`accepted ${argv.join(' ')}`);
}

function tmp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sipster-launch-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('launch options (every host)', () => {
  it('with nothing given: only the default data folder', () => {
    expect(parseLaunchOptions([], base)).toEqual({ engine: { dataDir: '/home/x/wallet' }, json: false, port: 0, words: [], period: null });
  });

  it('reads every engine option', () => {
    expect(engine(['--data', 'w', '--uc', 'http://127.0.0.1:8080/uc', '--mint', 'https://mint.example', '--socks', '127.0.0.1:9050', '--socks-label', 'demo-hop', '--serial', '/dev/ttyUSB0'])).toEqual({
      dataDir: 'w', ucUrl: 'http://127.0.0.1:8080/uc', mintUrl: 'https://mint.example',
      socks: { host: '127.0.0.1', port: 9050, label: 'demo-hop' }, serial: { port: '/dev/ttyUSB0' },
    });
    expect(engine(['--socks=[::1]:1080']).socks).toEqual({ host: '::1', port: 1080, label: 'custom' });
  });

  it('--tor names a system tor, Tor Browser, or the managed one', () => {
    expect(engine(['--tor', 'system']).socks).toEqual({ host: '127.0.0.1', port: 9050, label: 'system-tor' });
    expect(engine(['--tor', 'tor-browser']).socks).toEqual({ host: '127.0.0.1', port: 9150, label: 'tor-browser' });
    expect(engine(['--tor', 'managed'])).toMatchObject({ proxy: { kind: 'managed' } });
    expect(engine(['--tor', 'managed']).socks).toBeUndefined();
  });

  it('--torrc gives the managed tor extra lines (comments and blanks left out), and only the managed one', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'torrc'), '# private network\nTestingTorNetwork 1\n\nDirAuthority a 127.0.0.1:5000 ABCD\n');
    expect(engine(['--tor', 'managed', '--torrc', join(dir, 'torrc')]).tor).toEqual({ torrc: ['TestingTorNetwork 1', 'DirAuthority a 127.0.0.1:5000 ABCD'] });
    expect(refused(['--tor', 'system', '--torrc', join(dir, 'torrc')])).toMatchObject({ code: 'conflict', option: '--torrc' });
    expect(refused(['--tor', 'managed', '--torrc', join(dir, 'missing')])).toMatchObject({ code: 'unreadable-file', option: '--torrc' });
  });

  it('reads the meter keys file with --serial', () => {
    const dir = tmp();
    const key = (n: number) => bytesToHex(p256PublicKey(new Uint8Array(32).fill(n)));
    writeFileSync(join(dir, 'm.pub.json'), JSON.stringify({ setPublicKey: key(1), billPublicKey: key(2), meter: 'M1' }));
    const { serial } = engine(['--serial', '/dev/ttyUSB0', '--meter-keys', join(dir, 'm.pub.json')]);
    expect(serial?.port).toBe('/dev/ttyUSB0');
    expect(serial?.keys?.meter).toBe('M1');
    expect(bytesToHex(serial!.keys!.setPublicKey)).toBe(key(1));
  });

  it('--line gives the port its line settings; --meter names a network meter instead, as the window\'s choice spells it', () => {
    expect(engine(['--serial', '/dev/ttyUSB0', '--line', 'dsmr22']).serial).toEqual({ port: '/dev/ttyUSB0', line: 'dsmr22' });
    expect(engine(['--meter', 'tcp://192.168.1.20:2001']).network).toEqual({ address: 'tcp://192.168.1.20:2001' });
    expect(engine(['--meter', 'homewizard://p1meter.local', '--line', 'dsmr4']).network).toEqual({ address: 'homewizard://p1meter.local', line: 'dsmr4' });
    // HomeWizard's documented URL is taken as its homewizard:// address, as in the window.
    expect(engine(['--meter', 'http://10.0.0.7/api/v1/telegram']).network).toEqual({ address: 'homewizard://10.0.0.7' });
    const dir = tmp();
    const key = (n: number) => bytesToHex(p256PublicKey(new Uint8Array(32).fill(n)));
    writeFileSync(join(dir, 'm.pub.json'), JSON.stringify({ setPublicKey: key(1), billPublicKey: key(2), meter: 'M1' }));
    expect(engine(['--meter', 'tcp://[::1]:2001', '--meter-keys', join(dir, 'm.pub.json')]).network?.keys?.meter).toBe('M1');
  });

  it('refuses a bad line or meter address, and two meters at once', () => {
    expect(refused(['--serial', '/dev/ttyS0', '--line', 'dsmr5'])).toMatchObject({ code: 'bad-value', option: '--line', message: expect.stringMatching(/dsmr4, dsmr22/) });
    expect(refused(['--line', 'dsmr22'])).toMatchObject({ code: 'conflict', option: '--line' });
    expect(refused(['--meter', 'tcp://meter'])).toMatchObject({ code: 'bad-value', option: '--meter', message: expect.stringMatching(/tcp:\/\/HOST:PORT/) });
    expect(refused(['--meter', '/dev/ttyUSB0'])).toMatchObject({ code: 'bad-value', option: '--meter' });
    expect(refused(['--serial', '/dev/ttyS0', '--meter', 'tcp://h:1'])).toMatchObject({ code: 'conflict', option: '--meter' });
  });

  it('--json, --port and words only where the host takes them', () => {
    expect(parseLaunchOptions(['status', '--json'], { ...base, words: true })).toMatchObject({ json: true, words: ['status'] });
    expect(parseLaunchOptions(['export', '--period', '7'], { ...base, words: true })).toMatchObject({ words: ['export'], period: 7 });
    for (const bad of ['-1', '1.5', 'x', '12345678901'])
      expect(() => parseLaunchOptions(['export', '--period', bad], { ...base, words: true }), bad).toThrow(LaunchOptionError);
    expect(parseLaunchOptions(['--port', '8123'], { ...base, port: true }).port).toBe(8123);
    expect(refused(['--port', '8123'])).toMatchObject({ code: 'unknown-option', option: '--port' });
    expect(refused(['--data', 'w', 'status'])).toMatchObject({ code: 'unknown-option', option: 'status', message: 'unexpected word status' });
  });

  it('refuses bad values, naming the option', () => {
    const cases: [string[], string, string][] = [
      [['--socks', '127.0.0.1'], 'bad-value', '--socks'],
      [['--socks', ':9050'], 'bad-value', '--socks'],
      [['--socks', 'h:0'], 'bad-value', '--socks'],
      [['--socks', 'h:70000'], 'bad-value', '--socks'],
      [['--socks', 'h:9x'], 'bad-value', '--socks'],
      [['--socks', 'h:1', '--socks-label', 'vpn'], 'bad-value', '--socks-label'],
      [['--socks-label', 'custom'], 'conflict', '--socks-label'],
      [['--tor', 'tails'], 'bad-value', '--tor'],
      [['--tor', 'system', '--socks', 'h:1'], 'conflict', '--tor'],
      [['--uc', 'ftp://x'], 'bad-value', '--uc'],
      [['--mint', 'not a url'], 'bad-value', '--mint'],
      [['--meter-keys', '/k.json'], 'conflict', '--meter-keys'],
      [['--data'], 'missing-value', '--data'],
      [['--uc', '--mint', 'http://m'], 'missing-value', '--uc'],
      [['--bogus'], 'unknown-option', '--bogus'],
      [['--json=yes'], 'bad-value', '--json'],
    ];
    for (const [argv, code, option] of cases) expect(refused(argv), argv.join(' ')).toMatchObject({ code, option, name: 'LaunchOptionError' });
    expect(refused(['--port', '65536'], { port: true })).toMatchObject({ code: 'bad-value', option: '--port' });
  });

  it('refuses a plain http:// utility or mint off loopback, and says why', () => {
    expect(refused(['--uc', 'http://uc.example'])).toMatchObject({ code: 'bad-value', option: '--uc', message: expect.stringMatching(/--uc refused: .*plain http:\/\/.*https:\/\/ or a \.onion/) });
    expect(refused(['--mint', 'http://192.168.1.5:3338'])).toMatchObject({ code: 'bad-value', option: '--mint', message: expect.stringContaining('mint address') });
    expect(engine(['--uc', 'http://abcdefghij234567.onion', '--mint', 'http://[::1]:3338'])).toMatchObject({ ucUrl: 'http://abcdefghij234567.onion', mintUrl: 'http://[::1]:3338' });
  });

  it('refuses a missing, unreadable or wrong meter key file', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'text'), 'not json');
    writeFileSync(join(dir, 'wrong.json'), JSON.stringify({ setPublicKey: '00', billPublicKey: '00' }));
    const keys = (f: string) => refused(['--serial', '/dev/ttyS0', '--meter-keys', join(dir, f)]);
    expect(keys('missing.json')).toMatchObject({ code: 'unreadable-file', message: expect.stringContaining('ENOENT') });
    expect(keys('text')).toMatchObject({ code: 'bad-value' });
    expect(keys('wrong.json')).toMatchObject({ code: 'bad-value', message: expect.stringContaining('not a meter key file') });
  });

  it("lenient (Electron): Chromium's switches and the app path pass, our own options are still checked", () => {
    const argv = ['.', '--no-sandbox', '--enable-logging', '--data', 'w', '--tor', 'system', '--inspect=0'];
    expect(parseLaunchOptions(argv, { ...base, lenient: true }).engine).toEqual({ dataDir: 'w', socks: { host: '127.0.0.1', port: 9050, label: 'system-tor' } });
    expect(refused(['--socks'], { lenient: true })).toMatchObject({ code: 'missing-value', option: '--socks' });
    expect(refused(['--uc', '--no-sandbox'], { lenient: true })).toMatchObject({ code: 'missing-value', option: '--uc' });
    expect(refused(['--tor', 'tails'], { lenient: true })).toMatchObject({ code: 'bad-value' });
  });
});
