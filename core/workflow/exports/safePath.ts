import { constants, accessSync, lstatSync, realpathSync, statSync } from 'node:fs';
import { basename, extname, isAbsolute, join, parse, relative, sep } from 'node:path';
import { ExportFileName, type ExportFormat } from '../../../contract/index.js';
import { StationError } from '../errors.js';

/** Names Windows refuses for files whatever the extension; a USB stick may be read there. */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

const refuse = (messageKey: string, message: string, params: Record<string, string> = {}): StationError =>
  new StationError('INVALID_INPUT', messageKey, message, params);

/**
 * A user's file name as one safe path segment with the format's extension: nothing that could name
 * a folder, climb out of one or hide the file. Throws INVALID_INPUT otherwise.
 */
export function safeExportFileName(raw: string, format: ExportFormat): string {
  const parsed = ExportFileName.safeParse(raw);
  if (!parsed.success) throw refuse('error.exportFileName', `File name not allowed: ${parsed.error.issues[0]?.message ?? 'invalid'}`, { field: 'fileName' });
  const ext = `.${format}`;
  let stem = parsed.data;
  if (extname(stem).toLowerCase() === ext) stem = stem.slice(0, -ext.length);
  stem = stem.replace(/[. ]+$/u, '');
  if (!stem || WINDOWS_RESERVED.test(stem)) throw refuse('error.exportFileName', 'File name not allowed.', { field: 'fileName' });
  const name = `${stem}${ext}`;
  // Belt and braces: the schema already refuses separators; this keeps the promise if it ever changes.
  if (basename(name) !== name || name.includes('/') || name.includes('\\')) throw refuse('error.exportFileName', 'File name not allowed.', { field: 'fileName' });
  return name;
}

/**
 * An existing, writable folder given as an absolute path, returned as its real path (symlinks resolved).
 * With `roots`, the folder must also lie inside one of them (real paths compared, so a symlink out is caught):
 * a supervisor could otherwise point exports at /etc or another system folder.
 */
export function checkExportFolder(folder: string, roots?: readonly string[]): string {
  if (!isAbsolute(folder)) throw refuse('error.exportFolder', 'Choose a folder by its full path.', { field: 'folder' });
  let real: string;
  try {
    real = realpathSync(folder);
  } catch {
    throw refuse('error.exportFolder', 'That folder does not exist.', { field: 'folder' });
  }
  if (!statSync(real).isDirectory()) throw refuse('error.exportFolder', 'That is not a folder.', { field: 'folder' });
  if (roots) {
    const realRoots = roots.flatMap((r) => {
      try {
        return [realpathSync(r)];
      } catch {
        return [];
      }
    });
    // The filesystem root as an "exports root" would allow everything: never counted.
    if (!realRoots.some((r) => r !== sep && r !== parse(r).root && isInside(r, real))) {
      throw refuse('error.exportFolderNotAllowed', 'Exports go only to a folder under your home folder or the configured exports folder.', { field: 'folder' });
    }
  }
  try {
    accessSync(real, constants.W_OK);
  } catch {
    throw refuse('error.exportFolder', 'The station cannot write to that folder.', { field: 'folder' });
  }
  return real;
}

/** True when `child` is `folder` itself or lies inside it (both real paths). */
export function isInside(folder: string, child: string): boolean {
  const rel = relative(folder, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.startsWith(`..${sep}`));
}

export interface ExportTarget {
  /** The real export folder. */
  folder: string;
  /** Final file path: inside `folder`, not existing yet. */
  path: string;
  fileName: string;
}

/**
 * Where an export goes: the configured folder as it is now (re-resolved, so a folder swapped for a
 * symlink to elsewhere after it was chosen is refused) and a free file name in it, never overwriting:
 * "name (2).csv" when "name.csv" exists.
 */
export function resolveExportTarget(configuredFolder: string, safeName: string): ExportTarget {
  const folder = checkExportFolder(configuredFolder);
  if (folder !== configuredFolder) {
    throw new StationError('CONFLICT', 'error.exportFolderMoved', 'The export folder changed since it was chosen. Choose it again.');
  }
  const ext = extname(safeName);
  const stem = safeName.slice(0, -ext.length);
  for (let n = 1; n < 1000; n++) {
    const fileName = n === 1 ? safeName : `${stem} (${n})${ext}`;
    const path = join(folder, fileName);
    if (!isInside(folder, path) || relative(folder, path) !== fileName) throw refuse('error.exportFileName', 'File name not allowed.', { field: 'fileName' });
    if (!exists(path)) return { folder, path, fileName };
  }
  throw new StationError('CONFLICT', 'error.exportNameTaken', 'Too many files with that name; choose another name.');
}

/** lstat, so a dangling symlink counts as taken (it must never be written through). */
function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
