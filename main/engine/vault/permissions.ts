/**
 * The data folder is the household's alone (issue 14 §1): the folder and every folder in it 0700, every file 0600.
 * Files are created so (explicit modes here and in the wallet's seam; SQLite gives the -wal and -shm the mode of
 * their database), and every start checks the whole tree: anything others could read or write is fixed, and the fix
 * is said once in the log, by count and name only (file names carry nothing private).
 * @module
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

export const FOLDER_MODE = 0o700;
export const FILE_MODE = 0o600;

/** What `secureDataFolder` had to fix: paths relative to the data folder ('.' for the folder itself). */
export interface PermissionFixes {
  fixed: string[];
}

/**
 * Creates `dir` 0700 when missing, and takes group and other rights off it and off everything under it.
 * Symbolic links are left alone (never followed out of the folder).
 */
export function secureDataFolder(dir: string): PermissionFixes {
  mkdirSync(dir, { recursive: true, mode: FOLDER_MODE });
  const fixed: string[] = [];
  const walk = (path: string): void => {
    const st = lstatSync(path, { throwIfNoEntry: false });
    if (!st || st.isSymbolicLink()) return;
    // Group and other rights are taken away; a file keeps its owner's own (tor's files stay as tor made them).
    if ((st.mode & 0o077) !== 0) {
      chmodSync(path, st.isDirectory() ? FOLDER_MODE : st.mode & 0o700);
      fixed.push(relative(dir, path) || '.');
    }
    if (st.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(dir);
  return { fixed };
}

/** The one log line for a fix, or null when nothing was open. */
export function describeFixes({ fixed }: PermissionFixes): string | null {
  if (fixed.length === 0) return null;
  const shown = fixed.slice(0, 5).join(', ') + (fixed.length > 5 ? `, and ${fixed.length - 5} more` : '');
  return `the data folder was readable by other users: made private (${shown})`;
}
