import { describe, expect, it } from 'vitest';
import { TorError } from './errors.js';
import { bundledTor, findTor, torCandidates, torEnv } from './tor-binary.js';

const packedLinux = { platform: 'linux', resourcesPath: '/opt/Sipster Home/resources', path: '/usr/local/bin:/usr/bin' } as const;
const packedWindows = { platform: 'win32', resourcesPath: 'C:\\Program Files\\Sipster Home\\resources', path: 'C:\\Windows;C:\\tools' } as const;
const packedMac = { platform: 'darwin', resourcesPath: '/Applications/Sipster Home.app/Contents/Resources', path: '/usr/bin' } as const;

describe('the tor binary (packed app: its own; else PATH)', () => {
  it('in a packed app, the tor under resources/tor comes before PATH, on each platform', () => {
    expect(torCandidates(packedLinux)).toEqual(['/opt/Sipster Home/resources/tor/tor', '/usr/local/bin/tor', '/usr/bin/tor', '/usr/sbin/tor', '/usr/bin/tor']);
    expect(torCandidates(packedWindows)).toEqual(['C:\\Program Files\\Sipster Home\\resources\\tor\\tor.exe', 'C:\\Windows\\tor.exe', 'C:\\tools\\tor.exe']);
    expect(torCandidates(packedMac)[0]).toBe('/Applications/Sipster Home.app/Contents/Resources/tor/tor');
  });

  it('outside Electron (no resourcesPath): PATH, then Debian places', () => {
    expect(torCandidates({ platform: 'linux', path: '/bin' })).toEqual(['/bin/tor', '/usr/sbin/tor', '/usr/bin/tor']);
    expect(bundledTor({ platform: 'linux' })).toBeNull();
  });

  it('$TOR wins over the packed one', () => {
    expect(torCandidates({ ...packedLinux, env: '/srv/tor' })[0]).toBe('/srv/tor');
  });

  it('takes the first that can run: the packed one when present, else falls back to PATH', () => {
    expect(findTor(undefined, packedLinux, () => true)).toBe('/opt/Sipster Home/resources/tor/tor');
    // An installer built without vendor/tor: the system tor.
    expect(findTor(undefined, packedLinux, (f) => f === '/usr/bin/tor')).toBe('/usr/bin/tor');
  });

  it('an explicit path is the only candidate; none found is a typed error naming the package', () => {
    expect(() => findTor('/nowhere/tor', packedLinux, (f) => f !== '/nowhere/tor')).toThrow(TorError);
    expect(() => findTor(undefined, packedLinux, () => false)).toThrow(/apt-get install tor/);
  });

  it("the packed Linux tor finds its own libraries first; other tors keep this process's environment", () => {
    const env = { LD_LIBRARY_PATH: '/x', HOME: '/h' };
    expect(torEnv('/opt/Sipster Home/resources/tor/tor', packedLinux, env)).toEqual({ LD_LIBRARY_PATH: '/opt/Sipster Home/resources/tor:/x', HOME: '/h' });
    expect(torEnv('/opt/Sipster Home/resources/tor/tor', packedLinux, {})).toEqual({ LD_LIBRARY_PATH: '/opt/Sipster Home/resources/tor' });
    expect(torEnv('/usr/bin/tor', packedLinux, env)).toBe(env);
    expect(torEnv('/Applications/Sipster Home.app/Contents/Resources/tor/tor', packedMac, env)).toBe(env);
  });
});
