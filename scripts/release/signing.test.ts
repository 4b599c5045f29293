import { describe, expect, it } from 'vitest';
import { signingPlan } from './signing.js';

const all = {
  MAC_CSC_LINK: 'base64…', MAC_CSC_KEY_PASSWORD: 'p', APPLE_ID: 'a@b', APPLE_APP_SPECIFIC_PASSWORD: 'x', APPLE_TEAM_ID: 'T',
  WIN_CSC_LINK: 'base64…', WIN_CSC_KEY_PASSWORD: 'p',
};

describe('signing from repository secrets, skipped by name', () => {
  it('without secrets every step is skipped with the names it lacks, and macOS looks for no keychain identity', () => {
    expect(signingPlan('mac', {})).toEqual({
      log: [
        'macOS code signing: skipped (MAC_CSC_LINK, MAC_CSC_KEY_PASSWORD not set)',
        'macOS notarization: skipped (APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID not set; needs code signing)',
      ],
      builderArgs: ['-c.mac.notarize=false'],
      env: { CSC_IDENTITY_AUTO_DISCOVERY: 'false' },
    });
    expect(signingPlan('win', { WIN_CSC_LINK: '' }).log).toEqual(['windows code signing: skipped (WIN_CSC_LINK, WIN_CSC_KEY_PASSWORD not set)']);
  });

  it('with every secret: signed and notarized', () => {
    expect(signingPlan('mac', all)).toEqual({
      log: ['macOS code signing: with MAC_CSC_LINK', 'macOS notarization: with APPLE_ID, APPLE_TEAM_ID'],
      builderArgs: ['-c.mac.notarize=true'],
      env: {},
    });
    expect(signingPlan('win', all).log).toEqual(['windows code signing: with WIN_CSC_LINK']);
  });

  it('notarization needs signing: Apple credentials alone are not enough', () => {
    const { MAC_CSC_LINK: _, ...noCert } = all;
    const plan = signingPlan('mac', noCert);
    expect(plan.log).toEqual(['macOS code signing: skipped (MAC_CSC_LINK not set)', 'macOS notarization: skipped (needs code signing)']);
    expect(plan.builderArgs).toEqual(['-c.mac.notarize=false']);
  });

  it('never copies a secret into what it hands on', () => {
    const plan = signingPlan('mac', all);
    expect(JSON.stringify(plan)).not.toContain('base64');
  });
});
