import { describe, expect, it } from 'vitest';
import { checkBaseUrl, checkMeterChoice, chooseMint, portViews, unsettledPeriods } from './choices.js';
import { addProofs, getMeta, openWalletDb, setMeta } from './wallet/index.js';

describe("the window's choices", () => {
  it('accepts a meter choice of the four kinds with its line settings, and nothing else', () => {
    expect(checkMeterChoice({ kind: 'port', path: '/dev/ttyUSB0', extra: 1 })).toEqual({ kind: 'port', path: '/dev/ttyUSB0', line: 'dsmr4' });
    expect(checkMeterChoice({ kind: 'port', path: '/dev/ttyUSB0', line: 'dsmr22' })).toEqual({ kind: 'port', path: '/dev/ttyUSB0', line: 'dsmr22' });
    expect(checkMeterChoice({ kind: 'network', address: ' tcp://192.168.1.20:2001 ' })).toEqual({ kind: 'network', address: 'tcp://192.168.1.20:2001', line: 'dsmr4' });
    expect(checkMeterChoice({ kind: 'network', address: 'http://192.168.1.30/api/v1/telegram', line: 'dsmr22' }))
      .toEqual({ kind: 'network', address: 'homewizard://192.168.1.30', line: 'dsmr22' });
    expect(checkMeterChoice({ kind: 'demo' })).toEqual({ kind: 'demo' });
    const key = 'A'.repeat(32);
    expect(checkMeterChoice({ kind: 'port', path: 'p', dlms: { framing: 'mbus', key, authKey: null, x: 1 } })).toEqual({ kind: 'port', path: 'p', line: 'dsmr4', dlms: { framing: 'mbus', key: 'a'.repeat(32), authKey: null } });
    for (const dlms of [{ framing: 'raw', key: 'a'.repeat(31) }, { framing: 'tcp', key }, { framing: 'hdlc', key, authKey: 'secret' }, null]) {
      const refused = (() => { try { checkMeterChoice({ kind: 'port', path: 'p', dlms }); } catch (e) { return e as Error; } })();
      expect(refused, JSON.stringify(dlms)).toMatchObject({ code: 'bad-request' });
      expect(refused!.message).not.toMatch(/aaaa|secret/);
    }
    for (const bad of [null, 'demo', { kind: 'port', path: '' }, { kind: 'port', path: 'a\0b' }, { kind: 'usb' }, { kind: 'port', path: '/dev/ttyUSB0', line: '9600' },
      { kind: 'network' }, { kind: 'network', address: 'ftp://host:21' }])
      expect(() => checkMeterChoice(bad)).toThrow(expect.objectContaining({ code: 'bad-request' }));
    expect(() => checkMeterChoice({ kind: 'network', address: 'tcp://meter' })).toThrow(expect.objectContaining({ message: expect.stringMatching(/tcp:\/\/HOST:PORT/) }));
  });

  it('takes https, .onion and loopback base addresses without credentials', () => {
    expect(checkBaseUrl('https://uc.example/', 'utility')).toBe('https://uc.example');
    for (const ok of ['http://127.0.0.1:3000/uc', 'http://127.9.8.7:1', 'http://localhost:3000', 'http://[::1]:3000', 'http://abcdefghij234567.onion'])
      expect(checkBaseUrl(ok, 'utility')).toBe(ok);
    for (const plain of ['http://uc.example', 'http://10.0.0.1:3000', 'http://128.0.0.1', 'http://localhost.evil.example', 'http://onion.example'])
      expect(() => checkBaseUrl(plain, 'mint')).toThrow(expect.objectContaining({ code: 'bad-request', message: expect.stringMatching(/mint address .* plain http:\/\/.*https:\/\/ or a \.onion/) }));
    for (const bad of ['uc.example', 'file:///etc/passwd', 'https://a:b@uc.example', 'javascript:alert(1)'])
      expect(() => checkBaseUrl(bad, 'utility')).toThrow(expect.objectContaining({ code: 'bad-request' }));
  });

  it('lists ports with the open one heard from its data and the others probed', async () => {
    const list = async () => [{ path: '/nonexistent/ttyUSB9', manufacturer: 'FTDI', product: 'FT232R USB UART', vendorId: '0403', productId: '6001' }];
    expect(await portViews(true, { path: '/tmp/pty-b', line: 'dsmr22', receiving: true }, list)).toEqual([
      { path: '/nonexistent/ttyUSB9', manufacturer: 'FTDI', product: 'FT232R USB UART', vendorId: '0403', productId: '6001', speaksP1: false, line: null },
      { path: '/tmp/pty-b', manufacturer: null, product: null, vendorId: null, productId: null, speaksP1: true, line: 'dsmr22' },
    ]);
    expect((await portViews(false, { path: null, line: 'dsmr4', receiving: false }, list)).map((p) => [p.speaksP1, p.line])).toEqual([[null, null]]);
    expect(await portViews(true, { path: null, line: 'dsmr4', receiving: false }, async () => { throw new Error('no udevadm'); })).toEqual([]);
  });

  it('finds unsettled periods, and keeps the mint while the wallet holds its coins', () => {
    const db = openWalletDb(':memory:');
    const at = new Date().toISOString();
    db.prepare("INSERT INTO tokens (set_id, period, idx, T, sig, state, received_at, updated_at) VALUES (1, 4, 0, x'01', x'02', 'received', ?, ?)").run(at, at);
    expect(unsettledPeriods(db)).toEqual([4]);
    setMeta(db, 'mint-url', 'https://mint.a');
    expect(chooseMint(db, 'https://mint.b/', null)).toBe('https://mint.b');
    expect(chooseMint(db, null, 'https://mint.a')).toBe('https://mint.a');
    addProofs(db, [{ id: '00ad268c4d1f5826', amount: 1, secret: 's1', C: '02'.padEnd(66, '1') }]);
    expect(() => chooseMint(db, 'https://mint.b', null)).toThrow(expect.objectContaining({ code: 'bad-request', message: expect.stringMatching(/holds 1 units/) }));
    expect(getMeta(db, 'mint-url')).toBe('https://mint.a');
    db.close();
  });
});
