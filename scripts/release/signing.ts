/**
 * Code signing and notarisation for the installers, from the repository's secrets when they are set, skipped by
 * name when not: each skipped step is one log line naming the secrets it lacks. The secrets' values never pass
 * through here (the workflow hands them to electron-builder's own variables); only whether each is set.
 * The command line is sign-or-skip.ts.
 * @module
 */

export type ReleaseOs = 'linux' | 'win' | 'mac';

/** The repository secrets each step reads (and the workflow passes on to electron-builder). */
export const SIGNING_SECRETS = {
  macSign: ['MAC_CSC_LINK', 'MAC_CSC_KEY_PASSWORD'],
  macNotarize: ['APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID'],
  winSign: ['WIN_CSC_LINK', 'WIN_CSC_KEY_PASSWORD'],
} as const;

export interface SigningPlan {
  /** One line per step: done with which secrets, or skipped and which are missing. */
  log: string[];
  /** electron-builder's command-line overrides. */
  builderArgs: string[];
  /** Variables for electron-builder (never a secret). */
  env: Record<string, string>;
}

const missing = (names: readonly string[], env: Record<string, string | undefined>) => names.filter((n) => !env[n]);

export function signingPlan(os: ReleaseOs, env: Record<string, string | undefined>): SigningPlan {
  if (os === 'linux') return { log: ['linux: AppImage and deb are not code-signed (electron-builder signs neither)'], builderArgs: [], env: {} };
  if (os === 'win') {
    const lack = missing(SIGNING_SECRETS.winSign, env);
    return {
      log: [lack.length ? `windows code signing: skipped (${lack.join(', ')} not set)` : 'windows code signing: with WIN_CSC_LINK'],
      builderArgs: [],
      env: {},
    };
  }
  const lackSign = missing(SIGNING_SECRETS.macSign, env);
  const lackNotarize = missing(SIGNING_SECRETS.macNotarize, env);
  const notarize = lackSign.length === 0 && lackNotarize.length === 0;
  return {
    log: [
      lackSign.length ? `macOS code signing: skipped (${lackSign.join(', ')} not set)` : 'macOS code signing: with MAC_CSC_LINK',
      notarize ? 'macOS notarization: with APPLE_ID, APPLE_TEAM_ID'
        : `macOS notarization: skipped (${[...(lackNotarize.length ? [`${lackNotarize.join(', ')} not set`] : []), ...(lackSign.length ? ['needs code signing'] : [])].join('; ')})`,
    ],
    builderArgs: [`-c.mac.notarize=${notarize}`],
    // Without a certificate, electron-builder would otherwise look for any identity in the runner's keychain.
    env: lackSign.length ? { CSC_IDENTITY_AUTO_DISCOVERY: 'false' } : {},
  };
}
