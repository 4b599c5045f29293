/**
 * Builds the window into dist/renderer (git-ignored). Preact's JSX goes through Vite's own transform, so no Babel.
 * Assets are referenced relatively: Electron loads the page from file://, browser mode from the host's root.
 */
import { defineConfig } from 'vite';

const here = new URL('.', import.meta.url).pathname;

export default defineConfig({
  root: here,
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: `${here}../dist/renderer`, emptyOutDir: true, target: 'chrome120', sourcemap: false },
  logLevel: 'warn',
});
