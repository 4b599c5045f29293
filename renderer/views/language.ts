/** The window's language: the household's pick, remembered in localStorage beside the theme (a preference, nothing private), else the system's. */
import { chooseLanguage, LANGUAGES, setLanguage, type Language } from '../i18n/index.js';

const KEY = 'sipster-language';

/** The saved pick ('system' when none). */
export function savedLanguage(): Language | 'system' {
  const l = localStorage.getItem(KEY);
  return LANGUAGES.includes(l as Language) ? (l as Language) : 'system';
}

/** Applies and remembers the pick (or the system's language again); sets the page's lang for screen readers. */
export function applyLanguage(pick: Language | 'system'): void {
  if (pick === 'system') localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, pick);
  const c = chooseLanguage(pick === 'system' ? null : pick, navigator.languages);
  setLanguage(c.language, c.tag);
  document.documentElement.lang = c.tag;
}
