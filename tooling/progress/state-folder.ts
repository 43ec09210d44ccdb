/**
 * The workbook's state folder (`.workbook/`, or `WORKBOOK_STATE`): what to say when
 * it cannot be written — read-only, not a folder, a full disk — so that every command
 * that keeps something there reports it in one line with the way out.
 *
 * @module
 */
import fs from 'node:fs';
import { folders, fromRoot } from '../course/paths.ts';

/** A file name part from the current time that sorts in time order: `2025-01-31T12-00-00-000Z`. */
export function timeStamp(at: Date = new Date()): string {
  return at.toISOString().replace(/[:.]/g, '-');
}

/** A path as the learner knows it: from the repository root, or absolute when elsewhere (`WORKBOOK_STATE`). */
function shown(absolute: string): string {
  const relative = fromRoot(absolute);
  return relative.startsWith('..') ? absolute : relative || '.';
}

/** `EACCES: permission denied` from a Node file-system error (without the path, which the caller names). */
function reason(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  const text = String(message ?? error).replace(/,\s*\w+ '[^']*'(?: -> '[^']*')?$/, '');
  return code && !text.startsWith(code) ? `${code}: ${text}` : text;
}

/**
 * Why `target` (a path in the state folder) could not be written, and what to do:
 * e.g. `.workbook/ is not writable (EACCES: permission denied); make it writable with chmod -R u+w .workbook`.
 */
export function whyNotWritten(error: unknown, target: string): string {
  const state = shown(folders.state);
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `${state}/ is not writable (${reason(error)}); make it writable (chmod -R u+w ${state}) and run the command again`;
    case 'EROFS':
      return `${state}/ is on a read-only file system (${reason(error)}); point WORKBOOK_STATE at a writable folder`;
    case 'ENOTDIR':
    case 'EEXIST':
      return `${state} (or a folder above it) is a file, not a folder (${reason(error)}); move that file away and run the command again`;
    case 'ENOSPC':
    case 'EDQUOT':
      return `the disk is full (${reason(error)}); free some space and run the command again`;
    default:
      return `${shown(target)} could not be written (${reason(error)}); check that ${state}/ is a writable folder`;
  }
}

/** Removes a file or folder if it can; one that was never there, or cannot be removed, leaves nothing to report. */
export function removeQuietly(target: string): void {
  try {
    fs.rmSync(target, { recursive: true, force: true });
  } catch {
    // In a folder that cannot be written: nothing was made there either.
  }
}
