/** Light, dark, or the system's choice; remembered in localStorage (a preference, nothing private). */
export type Theme = 'system' | 'light' | 'dark';
const KEY = 'sipster-theme';

export function savedTheme(): Theme {
  const t = localStorage.getItem(KEY);
  return t === 'light' || t === 'dark' ? t : 'system';
}

export function applyTheme(t: Theme): void {
  if (t === 'system') {
    document.documentElement.removeAttribute('data-theme');
    localStorage.removeItem(KEY);
  } else {
    document.documentElement.setAttribute('data-theme', t);
    localStorage.setItem(KEY, t);
  }
}
