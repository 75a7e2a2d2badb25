import { closeSync, fdatasyncSync, openSync } from 'node:fs';

/**
 * Writes out a file the benchmark just copied or filled: a bench's database was on its disk long before a
 * measurement starts, so the kernel writing out hundreds of MB of the copy must not land inside one.
 */
export function onDisk(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
