import { randomUUID } from 'node:crypto';
import { linkSync, renameSync, statSync, unlinkSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createPacedWriteStream } from '../../pacedWriteStream.js';
import { StationError } from '../errors.js';
import type { ExportTarget } from './safePath.js';

function finished(out: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.closed) return resolve();
    out.once('close', resolve);
    out.once('error', reject);
  });
}

/**
 * Writes an export into a hidden temporary file in the target folder, created exclusively (O_EXCL
 * refuses to follow or reuse any existing path, symlinks included), then publishes it under its
 * final name without replacing anything that appeared there meanwhile. A failed export leaves no file.
 */
export async function writeExportFile(
  target: ExportTarget,
  write: (out: WriteStream) => Promise<void>,
  temp: string = exportTempPath(target),
): Promise<{ bytes: number }> {
  // Synced as it goes (pacedWriteStream.ts): a month's XLSX must not stall the operators' commits when it lands.
  const out = createPacedWriteStream(temp, { flags: 'wx', mode: 0o644 });
  const opened = new Promise<void>((resolve, reject) => {
    out.once('open', () => resolve());
    out.once('error', reject);
  });
  try {
    await opened;
    await write(out);
    if (!out.writableEnded) out.end();
    await finished(out);
    publish(temp, target.path);
    return { bytes: statSync(target.path).size };
  } catch (err) {
    out.destroy();
    try {
      unlinkSync(temp);
    } catch {
      // already gone or never created
    }
    throw fileSystemRefusal(err) ?? err;
  }
}

/**
 * The export folder failing under the writer (a USB stick full, pulled out or write-protected, a folder whose
 * permissions changed after it was chosen) is about that folder. Left raw, an EIO or EROFS read as the station's
 * own database failing ("restart the station") and anything else as an internal error in English.
 */
function fileSystemRefusal(err: unknown): StationError | null {
  if (err instanceof StationError) return null;
  const code = err && typeof err === 'object' && 'code' in err ? (err as { code: unknown }).code : undefined;
  if (typeof code !== 'string' || !/^E[A-Z0-9]+$/.test(code)) return null;
  const full = code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG';
  return full
    ? new StationError('CONFLICT', 'error.exportFolderFull', 'The disk of the export folder is full; no file was left there.', { cause: code })
    : new StationError('CONFLICT', 'error.exportWriteFailed', 'The file could not be written in the export folder; no file was left there.', { cause: code });
}

/**
 * The hidden name an export is written under until it is complete. The caller may choose it up front so that,
 * should the writer be stopped from outside (a worker terminated), the caller can still remove it.
 */
export function exportTempPath(target: ExportTarget): string {
  return join(target.folder, `.${randomUUID()}.partial`);
}

function publish(temp: string, finalPath: string): void {
  try {
    // link() fails with EEXIST instead of overwriting: a file that appeared since the name was chosen is kept.
    linkSync(temp, finalPath);
    unlinkSync(temp);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw new StationError('CONFLICT', 'error.exportNameTaken', 'A file with that name appeared meanwhile; export again.');
    }
    // Filesystems without hard links (FAT/exFAT sticks): rename, after the existence check already made.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EOPNOTSUPP') {
      renameSync(temp, finalPath);
      return;
    }
    throw err;
  }
}
