/**
 * The first-start walk (issue 7): what Sipster does, the recovery phrase shown once and checked, the meter,
 * the utility and the mint, then Tor. The phrase lives only in this state and is dropped once checked.
 * "I have a seed phrase" skips the new phrase and restores at the end, once the utility, the mint and Tor are set
 * (the rebuild asks the mint and the utility, through Tor).
 * @module
 */
import { t } from '../i18n/index.js';

export const STEPS = ['welcome', 'phrase', 'check', 'meter', 'utility', 'tor', 'restore', 'done'] as const;
export type Step = (typeof STEPS)[number];

export interface OnboardingState {
  step: Step;
  words: string[] | null;
  /** 0-based positions the user must type back. */
  ask: number[];
  answers: string[];
  error: string | null;
  /** The user has a seed phrase: no new one is shown, the wallet is restored after Tor. */
  restoring: boolean;
}

export const startOnboarding: OnboardingState = { step: 'welcome', words: null, ask: [], answers: [], error: null, restoring: false };

export type OnboardingAction =
  | { kind: 'next' }
  | { kind: 'back' }
  | { kind: 'phrase'; words: string[]; random: () => number }
  | { kind: 'answer'; index: number; word: string }
  | { kind: 'check' }
  /** The phrase was already shown in an earlier run and the user says it is written down. */
  | { kind: 'skip-phrase' }
  /** "I have a seed phrase". */
  | { kind: 'restore' }
  | { kind: 'error'; message: string };

/** Three distinct positions, in order, from a random source in [0, 1). */
export function pickPositions(n: number, count: number, random: () => number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, Math.min(count, n)).sort((a, b) => a - b);
}

/** True when every asked word was typed back (case and spaces ignored). */
export function answersMatch(s: OnboardingState): boolean {
  const words = s.words;
  return words !== null && s.ask.length > 0 && s.ask.every((p, i) => (s.answers[i] ?? '').trim().toLowerCase() === words[p]);
}

const move = (s: OnboardingState, by: 1 | -1): Step => {
  const next = STEPS[Math.min(STEPS.length - 1, Math.max(0, STEPS.indexOf(s.step) + by))]!;
  return next === 'restore' && !s.restoring ? 'done' : next;
};

export function onboard(s: OnboardingState, a: OnboardingAction): OnboardingState {
  switch (a.kind) {
    case 'next':
      return { ...s, step: move(s, 1), error: null };
    case 'back':
      // Going back from the check shows the phrase again; past it, the phrase is gone for good.
      return s.step === 'check' || s.step === 'phrase' ? { ...s, step: move(s, -1), error: null } : s;
    case 'phrase': {
      const ask = pickPositions(a.words.length, 3, a.random);
      return { ...s, step: 'phrase', words: a.words, ask, answers: ask.map(() => ''), error: null };
    }
    case 'answer':
      return { ...s, answers: s.answers.map((w, i) => (i === a.index ? a.word : w)) };
    case 'check':
      return answersMatch(s)
        ? { ...s, step: 'meter', words: null, answers: [], error: null }
        : { ...s, error: t('onboarding.mismatch') };
    case 'skip-phrase':
      return { ...s, step: 'meter', words: null, answers: [], error: null };
    case 'restore':
      return { ...s, step: 'meter', words: null, answers: [], error: null, restoring: true };
    case 'error':
      return { ...s, error: a.message };
  }
}
