import { closeSync, fsyncSync, openSync } from 'node:fs';

/** Puts a file's written bytes on disk (open, fsync, close); for files no handle of ours is kept open on. */
export function syncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
