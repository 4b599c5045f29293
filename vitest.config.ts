import { defineConfig } from 'vitest/config';

// Three projects chosen by file name (style.md §Tests): unit tests sit next to the code,
// `*.int.test.ts` start real parts, `test/e2e/*.e2e.test.ts` walk several processes.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['{protocol,curve-backends,meter-emulator,bridge,main,renderer,uc,mint,scripts}/**/*.test.ts'], exclude: ['**/*.int.test.ts', '**/node_modules/**'], testTimeout: 60_000 } },
      { test: { name: 'int', include: ['**/*.int.test.ts'], exclude: ['**/node_modules/**'], testTimeout: 180_000, hookTimeout: 180_000 } },
      { test: { name: 'e2e', include: ['test/**/*.e2e.test.ts'], exclude: ['**/node_modules/**'], testTimeout: 600_000, hookTimeout: 300_000, fileParallelism: false } },
    ],
  },
});
