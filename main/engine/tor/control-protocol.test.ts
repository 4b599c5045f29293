import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReplyFramer, parseBootstrap, parseGetInfo, parseKeywords, parseStreamEvent, toEvent } from './control-protocol.js';

describe('ReplyFramer (control-spec §2.3)', () => {
  it('frames middle lines, data blocks with dot-unescaping, and events between replies', () => {
    const f = new ReplyFramer();
    const wire = [
      '650 STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=5 TAG=conn SUMMARY="Connecting"',
      '250-version=0.4.9.11',
      '250+ns/all=',
      'r relay1 AAAA',
      '..dotted',
      '.',
      '250 OK',
    ].join('\r\n') + '\r\n';
    const replies = f.push(wire);
    expect(replies).toHaveLength(2);
    expect(toEvent(replies[0]!)).toEqual({ name: 'STATUS_CLIENT', body: 'NOTICE BOOTSTRAP PROGRESS=5 TAG=conn SUMMARY="Connecting"' });
    expect(replies[1]).toEqual({ code: 250, lines: ['version=0.4.9.11', 'ns/all=\nr relay1 AAAA\n.dotted', 'OK'] });
    expect(toEvent(replies[1]!)).toBeNull();
    expect(parseGetInfo(replies[1]!)).toEqual({ version: '0.4.9.11', 'ns/all': 'r relay1 AAAA\n.dotted' });
  });

  it('gives the same replies however the stream is cut into chunks', () => {
    const wire = '250-a=1\r\n250+b=\r\nx\r\n.\r\n250 OK\r\n650 CIRC 5 BUILT\r\n515 Authentication failed\r\n';
    const whole = new ReplyFramer().push(wire);
    fc.assert(fc.property(fc.array(fc.nat({ max: wire.length }), { maxLength: 6 }), (cuts) => {
      const f = new ReplyFramer();
      const at = [0, ...cuts.sort((a, b) => a - b), wire.length];
      const got = at.slice(1).flatMap((end, i) => f.push(wire.slice(at[i], end)));
      expect(got).toEqual(whole);
    }));
    expect(whole.map((r) => r.code)).toEqual([250, 650, 515]);
  });

  it('refuses a line that is not control protocol', () => {
    expect(() => new ReplyFramer().push('HTTP/1.0 200 OK\r\n')).toThrow(SyntaxError);
  });
});

describe('keywords, bootstrap phases and STREAM events', () => {
  it('reads words and KEY=VALUE pairs, quoted strings with escapes', () => {
    expect(parseKeywords('NOTICE X A=1 B="two words \\"q\\" \\\\" C=')).toEqual({
      words: ['NOTICE', 'X'], keys: { A: '1', B: 'two words "q" \\', C: '' },
    });
  });

  it('reads a bootstrap phase from GETINFO or STATUS_CLIENT, warnings included', () => {
    expect(parseBootstrap('NOTICE BOOTSTRAP PROGRESS=100 TAG=done SUMMARY="Done"'))
      .toEqual({ progress: 100, tag: 'done', summary: 'Done', warning: null });
    expect(parseBootstrap('WARN BOOTSTRAP PROGRESS=10 TAG=conn_done SUMMARY="Connected" WARNING="Connection refused" REASON=CONNECTREFUSED'))
      .toMatchObject({ progress: 10, warning: 'Connection refused' });
    expect(parseBootstrap('NOTICE CIRCUIT_ESTABLISHED')).toBeNull();
    expect(parseBootstrap('NOTICE BOOTSTRAP PROGRESS=101 TAG=x')).toBeNull();
  });

  it('reads the circuit and SOCKS username of a STREAM event', () => {
    const body = '23 SUCCEEDED 6 127.0.0.1.$ABCD.exit:19080 SOCKS_USERNAME="alice" SOCKS_PASSWORD="x" CLIENT_PROTOCOL=SOCKS5 NYM_EPOCH=0';
    expect(parseStreamEvent(body)).toEqual({
      streamId: '23', status: 'SUCCEEDED', circuitId: '6', target: '127.0.0.1.$ABCD.exit:19080', socksUsername: 'alice',
    });
    expect(parseStreamEvent('24 NEW 0 127.0.0.1:80 SOURCE_ADDR=127.0.0.1:5555 PURPOSE=USER')?.socksUsername).toBeNull();
    expect(parseStreamEvent('24 NEW')).toBeNull();
  });
});
