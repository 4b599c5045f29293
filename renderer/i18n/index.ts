/**
 * The window's languages (issue 12 §2): English, Dutch, French and German. Messages are ICU MessageFormat
 * (intl-messageformat: plurals and selects per language) kept in one catalog per language; numbers, dates, units and
 * money go through Intl with the same locale. The language follows the system (navigator.languages) unless the
 * household picked one in Settings (views/language.ts keeps the pick). No DOM here: state/ and Node tests use it too.
 * @module
 */
import { IntlMessageFormat } from 'intl-messageformat';
import { de } from './de.js';
import { en, type MessageKey } from './en.js';
import { fr } from './fr.js';
import { nl } from './nl.js';

export type { MessageKey } from './en.js';
export type Language = 'en' | 'nl' | 'fr' | 'de';
export const LANGUAGES: readonly Language[] = ['en', 'nl', 'fr', 'de'];
export const CATALOGS: Record<Language, Record<MessageKey, string>> = { en, nl, fr, de };
/** Each language by its own name, as a language menu shows them. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', nl: 'Nederlands', fr: 'Français', de: 'Deutsch' };
/** The region used for numbers and dates when the system names none for the language: the meters' countries. */
const DEFAULT_TAG: Record<Language, string> = { en: 'en-GB', nl: 'nl-BE', fr: 'fr-BE', de: 'de-DE' };

let active: { language: Language; tag: string } = { language: 'en', tag: DEFAULT_TAG.en };
const compiled = new Map<string, IntlMessageFormat>();

/** The first of the system's languages that the window speaks, with the system's region; else English. */
export function systemLanguage(preferred: readonly string[]): { language: Language; tag: string } {
  for (const tag of preferred) {
    const language = tag.toLowerCase().split('-')[0] as Language;
    if (LANGUAGES.includes(language)) {
      try {
        return { language, tag: Intl.getCanonicalLocales(tag)[0] ?? DEFAULT_TAG[language] };
      } catch {
        return { language, tag: DEFAULT_TAG[language] };
      }
    }
  }
  return { language: 'en', tag: DEFAULT_TAG.en };
}

/** Which language applies: the saved pick, else the system's. */
export function chooseLanguage(saved: string | null, preferred: readonly string[]): { language: Language; tag: string } {
  const sys = systemLanguage(preferred);
  if (saved === null || !LANGUAGES.includes(saved as Language)) return sys;
  const language = saved as Language;
  return { language, tag: sys.language === language ? sys.tag : DEFAULT_TAG[language] };
}

export function setLanguage(language: Language, tag = DEFAULT_TAG[language]): void {
  active = { language, tag };
}

export const language = (): Language => active.language;
/** The BCP 47 tag that Intl formats numbers and dates with. */
export const locale = (): string => active.tag;

/** Compiled once per message and locale (a message keeps the locale it was made with, for its numbers). */
function message(key: MessageKey): IntlMessageFormat {
  const id = `${active.tag}\u0000${active.language}\u0000${key}`;
  let m = compiled.get(id);
  if (m === undefined) {
    m = new IntlMessageFormat(CATALOGS[active.language][key], active.tag);
    compiled.set(id, m);
  }
  return m;
}

export type Values = Record<string, string | number>;

/** A message in the active language. */
export function t(key: MessageKey, values?: Values): string {
  return String(message(key).format(values));
}

/** A message with markup: each `<tag>…</tag>` in it is built by `tags[tag]` (e.g. `<strong>`), so translators move it with the words. */
export function rich<T>(key: MessageKey, tags: Record<string, (chunks: (string | T)[]) => T>, values?: Values): (string | T)[] {
  const out = message(key).format<T>({ ...values, ...tags });
  return Array.isArray(out) ? out : [out as string | T];
}
