import { describe, expect, it } from 'vitest';
import { answersMatch, onboard, pickPositions, startOnboarding, type OnboardingState } from './onboarding.js';

const words = 'abandon ability able about above absent absorb abstract absurd abuse access accident'.split(' ');
const seq = (...xs: number[]) => () => xs.shift() ?? 0;

describe('onboarding', () => {
  it('asks three distinct positions in order', () => {
    const ps = pickPositions(12, 3, seq(0.99, 0.5, 0.1, 0.7));
    expect(ps).toHaveLength(3);
    expect(new Set(ps).size).toBe(3);
    expect([...ps].sort((a, b) => a - b)).toEqual(ps);
    expect(ps.every((p) => p >= 0 && p < 12)).toBe(true);
  });

  it('walks welcome → phrase → check and drops the phrase once checked', () => {
    let s: OnboardingState = onboard(startOnboarding, { kind: 'next' });
    expect(s.step).toBe('phrase');
    s = onboard(s, { kind: 'phrase', words, random: seq(0.1, 0.2, 0.3) });
    s = onboard(s, { kind: 'next' });
    expect(s.step).toBe('check');
    s.ask.forEach((p, i) => (s = onboard(s, { kind: 'answer', index: i, word: ` ${words[p]!.toUpperCase()} ` })));
    expect(answersMatch(s)).toBe(true);
    s = onboard(s, { kind: 'check' });
    expect(s.step).toBe('meter');
    expect(s.words).toBeNull();
    expect(onboard(s, { kind: 'back' }).step).toBe('meter');
    s = onboard(onboard(onboard(s, { kind: 'next' }), { kind: 'next' }), { kind: 'next' });
    expect(s.step).toBe('done');
    expect(onboard(s, { kind: 'next' }).step).toBe('done');
  });

  it('refuses a wrong word and stays on the check', () => {
    let s = onboard(onboard(startOnboarding, { kind: 'phrase', words, random: seq(0.5) }), { kind: 'next' });
    s = onboard(s, { kind: 'answer', index: 0, word: 'zoo' });
    expect(answersMatch(s)).toBe(false);
    s = onboard(s, { kind: 'check' });
    expect(s.step).toBe('check');
    expect(s.error).toMatch(/do not match/);
    expect(onboard(s, { kind: 'back' }).step).toBe('phrase');
  });

  it('skips to the meter when the phrase was shown in an earlier run', () => {
    expect(onboard(startOnboarding, { kind: 'skip-phrase' })).toMatchObject({ step: 'meter', words: null });
  });

  it('with a seed phrase: no new phrase, the restore step after Tor, then done', () => {
    let s = onboard(startOnboarding, { kind: 'restore' });
    expect(s).toMatchObject({ step: 'meter', restoring: true, words: null });
    for (const step of ['utility', 'tor', 'restore', 'done'] as const) {
      s = onboard(s, { kind: 'next' });
      expect(s.step).toBe(step);
    }
  });
});
