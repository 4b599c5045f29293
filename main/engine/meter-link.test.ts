import { describe, expect, it } from 'vitest';
import { MeterLink } from './meter-link.js';

describe('the meter link at start', () => {
  it('reads the host\'s network meter (CLI --meter) as the window\'s network choice, and its port at the given line settings', async () => {
    const network = new MeterLink({ network: { address: 'tcp://127.0.0.1:9', line: 'dsmr22' } }, () => {}, () => {});
    expect(network.startChoice(null)).toEqual({ kind: 'network', address: 'tcp://127.0.0.1:9', line: 'dsmr22' });
    expect(network.startChoice({ kind: 'port', path: '/dev/ttyUSB1' })).toEqual({ kind: 'port', path: '/dev/ttyUSB1' }); // a remembered choice wins
    await network.end();
    const serial = new MeterLink({ serial: { port: '/nonexistent/ttyS9', line: 'dsmr22' } }, () => {}, () => {});
    expect(serial.open(serial.startChoice(null))).toEqual({ kind: 'port', path: '/nonexistent/ttyS9', line: 'dsmr22' });
    expect(serial.openLine).toBe('dsmr22');
    await serial.end();
  });
});
