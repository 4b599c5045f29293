import { describe, expect, it } from 'vitest';
import { FAST_VOTING, assertVoting, authorityLines, clientLines, dirAuthorityLine, exitLines, networkLines } from './torrc.js';

const auth = { nickname: 'sipsterA0', orPort: 20001, dirPort: 20002, v3ident: 'AB'.repeat(20), fingerprint: 'CD'.repeat(20) };

describe('private network torrc', () => {
  it('keeps every node on loopback and off the public network', () => {
    const lines = networkLines([auth], '/x/empty');
    expect(lines).toContain('TestingTorNetwork 1');
    expect(lines).toContain('UseDefaultFallbackDirs 0');
    expect(lines).toContain('OutboundBindAddress 127.0.0.1');
    expect(lines).toContain(dirAuthorityLine(auth));
    expect(dirAuthorityLine(auth)).toBe(`DirAuthority sipsterA0 orport=20001 no-v2 v3ident=${auth.v3ident} 127.0.0.1:20002 ${auth.fingerprint}`);
    for (const l of [...authorityLines(auth, FAST_VOTING), ...exitLines('x', 20003, '/x/resolv.conf')])
      if (/^(ORPort|DirPort|Address) /.test(l)) expect(l).toMatch(/ 127\.0\.0\.1(:\d+)?$/);
  });

  it('lets the client see loopback exits and the exits reach loopback only', () => {
    expect(clientLines([auth], '/x/empty')).toContain('UseMicrodescriptors 0');
    const exit = exitLines('x', 20003, '/x/resolv.conf');
    expect(exit.filter((l) => l.startsWith('ExitPolicy '))).toEqual(['ExitPolicy accept 127.0.0.0/8:*', 'ExitPolicy reject *:*']);
    expect(exit).toContain('ServerDNSResolvConfFile /x/resolv.conf');
  });

  it('refuses a voting schedule tor would refuse', () => {
    expect(assertVoting(FAST_VOTING)).toBe(FAST_VOTING);
    expect(() => assertVoting({ ...FAST_VOTING, interval: 8 })).toThrow(RangeError);
    expect(() => assertVoting({ ...FAST_VOTING, voteDelay: 3 })).toThrow('interval / 2');
    expect(() => assertVoting({ interval: 20, initialInterval: 7, voteDelay: 2, distDelay: 2 })).toThrow('divide');
  });
});
