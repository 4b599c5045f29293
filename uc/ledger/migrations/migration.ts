import type { Dialect } from '../sql.js';

/** One schema step, numbered in steps of 10 (style.md §Tests: migrations). */
export interface Migration {
  version: number;
  name: string;
  statements: (dialect: Dialect) => string[];
}
