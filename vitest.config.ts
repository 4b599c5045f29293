import { defineConfig } from 'vitest/config';

// Three projects chosen by file name (style.md §Tests): unit tests sit next to the code,
// `*.int.test.ts` start real parts, `test/e2e/*.e2e.test.ts` walk several processes.
export default defineConfig({
  // The window's views are Preact JSX (as renderer/vite.config.ts builds them), rendered to text in their unit tests.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    // A test that asserts nothing fails (style.md §Tests); `.only` fails under CI=true (vitest's allowOnly default).
    expect: { requireAssertions: true },
    projects: [
      { extends: true, test: { name: 'unit', include: ['{protocol,curve-backends,meter-emulator,meter-follow,bridge,main,renderer,uc,mint,scripts}/**/*.test.ts'], exclude: ['**/*.int.test.ts', '**/node_modules/**'], testTimeout: 60_000 } },
      { extends: true, test: { name: 'int', include: ['**/*.int.test.ts'], exclude: ['**/node_modules/**'], testTimeout: 180_000, hookTimeout: 180_000 } },
      { extends: true, test: { name: 'e2e', include: ['test/**/*.e2e.test.ts'], exclude: ['**/node_modules/**'], testTimeout: 600_000, hookTimeout: 300_000, fileParallelism: false } },
    ],
  },
});
