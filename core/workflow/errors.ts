import { KeyedError } from '../../contract/index.js';

const DISK_FULL = new Set(['SQLITE_FULL', 'ENOSPC', 'EDQUOT']);
const READ_ONLY = new Set(['SQLITE_READONLY', 'SQLITE_CANTOPEN', 'SQLITE_PERM', 'SQLITE_IOERR', 'EROFS', 'EIO']);

/**
 * A storage failure the operator can act on (free disk space, ask IT about a read-only data folder), as a
 * StationError; null for anything else. SQLite's extended codes (SQLITE_READONLY_DBMOVED, SQLITE_IOERR_WRITE…)
 * count as their primary code. Whatever the call did so far was rolled back with its transaction.
 */
export function storageError(err: unknown): StationError | null {
  const raw = err && typeof err === 'object' && 'code' in err ? (err as { code: unknown }).code : undefined;
  if (typeof raw !== 'string') return null;
  const primary = raw.startsWith('SQLITE_') ? raw.split('_').slice(0, 2).join('_') : raw;
  if (DISK_FULL.has(primary)) {
    return new StationError(
      'DISK_FULL',
      'error.diskFull',
      'The disk of this computer is full, so the station cannot save. The work so far is saved: free some disk space (or call IT), then try again.',
      { cause: raw },
    );
  }
  if (READ_ONLY.has(primary)) {
    return new StationError(
      'READ_ONLY',
      'error.databaseReadOnly',
      'The station cannot write to its database (the file or its folder is read-only, or the disk failed). The work so far is saved: ask IT to check the data folder, then restart the station.',
      { cause: raw },
    );
  }
  return null;
}

/** An expected failure the operator should read: carries an i18n key for the renderer. */
export class StationError extends KeyedError {
  override name = 'StationError';
}
