import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { CATALOGS, chooseLanguage, LANGUAGES, rich, setLanguage, systemLanguage, t } from './index.js';
import { en } from './en.js';

/** The placeholders, plural/select arguments and markup tags a message uses, with their kinds. */
function argumentsOf(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const e of elements) {
    if (e.type === TYPE.literal || e.type === TYPE.pound) continue;
    into.add(`${e.type}:${e.value}`);
    if (e.type === TYPE.plural || e.type === TYPE.select) for (const o of Object.values(e.options)) argumentsOf(o.value, into);
    if (e.type === TYPE.tag) argumentsOf(e.children, into);
  }
  return into;
}

afterEach(() => setLanguage('en'));

describe('the catalogs', () => {
  const keys = Object.keys(en).sort();

  it.each(LANGUAGES)('%s has every key of English and no other', (lang) => {
    expect(Object.keys(CATALOGS[lang]).sort()).toEqual(keys);
  });

  it.each(LANGUAGES.filter((l) => l !== 'en'))('%s: every message parses and uses the same values and markup as English', (lang) => {
    const wrong: string[] = [];
    for (const key of keys as (keyof typeof en)[]) {
      const msg = CATALOGS[lang][key];
      expect(msg.trim(), `${lang} ${key}`).not.toBe('');
      const args = [...argumentsOf(parse(msg))].sort();
      if (JSON.stringify(args) !== JSON.stringify([...argumentsOf(parse(en[key]))].sort())) wrong.push(key);
    }
    expect(wrong).toEqual([]);
  });

  it('is translated: all but a few messages differ from English in each language', () => {
    const words = (m: string) => /[a-z]{4}/.test(m.replace(/\{[^{}]*\}/g, '')); // words outside the placeholders
    for (const lang of ['nl', 'fr', 'de'] as const) {
      const same = (Object.keys(en) as (keyof typeof en)[]).filter((k) => CATALOGS[lang][k] === en[k] && words(en[k]));
      // Names and technical lines ("Sipster Home", "DSMR 4/5, 115200 baud", "Landis+Gyr E450 …") read the same in every language.
      expect(same.length / keys.length, `${lang}: ${same.join(', ')}`).toBeLessThan(0.04);
    }
  });
});

describe('the language', () => {
  it('follows the first system language the window speaks, with its region; English otherwise', () => {
    expect(systemLanguage(['ja-JP', 'nl-NL', 'fr-BE'])).toEqual({ language: 'nl', tag: 'nl-NL' });
    expect(systemLanguage(['de'])).toEqual({ language: 'de', tag: 'de' });
    expect(systemLanguage(['pt-BR'])).toEqual({ language: 'en', tag: 'en-GB' });
    expect(systemLanguage([])).toEqual({ language: 'en', tag: 'en-GB' });
  });

  it('a pick in Settings wins over the system; the system region is kept when the languages agree', () => {
    expect(chooseLanguage('fr', ['nl-BE'])).toEqual({ language: 'fr', tag: 'fr-BE' });
    expect(chooseLanguage('nl', ['nl-NL'])).toEqual({ language: 'nl', tag: 'nl-NL' });
    expect(chooseLanguage(null, ['de-AT'])).toEqual({ language: 'de', tag: 'de-AT' });
    expect(chooseLanguage('xx', ['de-AT'])).toEqual({ language: 'de', tag: 'de-AT' });
  });

  it('formats plurals and numbers by the locale', () => {
    expect(t('format.units', { count: 1200 })).toBe('1,200 units');
    setLanguage('nl', 'nl-BE');
    expect(t('format.units', { count: 1 })).toBe('1 eenheid');
    expect(t('format.units', { count: 1200 })).toBe('1.200 eenheden');
    setLanguage('de', 'de-DE');
    expect(t('energy.previous', { span: 'week' })).toBe('Vorherige Woche');
    setLanguage('fr', 'fr-BE');
    expect(t('format.units', { count: 0 })).toBe('0 unité');
    expect(rich('mint.now', { code: (c) => `[${c.join('')}]` }, { url: 'http://m' }).join('')).toBe('Maintenant : [http://m]');
  });
});
