// A file write stream that syncs every few megabytes as it goes, for the bench's large writes (an export, the
// hub's prepared reference file). Without it the page cache holds hundreds of megabytes of dirty pages, and
// whichever fsync comes next (an operator's commit: the station commits with synchronous=FULL) waits for the
// disk to write them all: on this machine a 4 KB fsync took 250 ms behind an 800 MB file's, and 8 ms when the
// writer synced every 4 MB. The syncs run beside the writes (a download is not held up by each), and the last
// bytes are synced before the file is closed, so a finished file is on disk.
import fs from 'node:fs';

/** Bytes written between two syncs. */
export const SYNC_EVERY_BYTES = 4 * 1024 * 1024;

type Done = (err: NodeJS.ErrnoException | null) => void;

export function createPacedWriteStream(path: string, options: { flags?: string; mode?: number; syncEveryBytes?: number } = {}): fs.WriteStream {
  const every = options.syncEveryBytes ?? SYNC_EVERY_BYTES;
  let unsynced = 0;
  /** A sync under way: the writes go on meanwhile (a download is not held up by the disk) unless far ahead of it. */
  let inFlight: Done[] | null = null;
  let syncError: NodeJS.ErrnoException | null = null;
  const sync = (fd: number): void => {
    unsynced = 0;
    const waiting: Done[] = [];
    inFlight = waiting;
    fs.fdatasync(fd, (err) => {
      inFlight = null;
      syncError ??= err;
      for (const w of waiting) w(syncError);
    });
  };
  /** Counts what was written and starts a sync when enough has piled up; `done` gets the write's own outcome. */
  const paced = (fd: number, written: number, done: Done): void => {
    if (syncError) return done(syncError);
    unsynced += written;
    if (unsynced < every) return done(null);
    if (!inFlight) {
      sync(fd);
      return done(null);
    }
    // Four times the step written while one sync runs: this write waits for it, so the dirty pages stay bounded.
    if (unsynced >= 4 * every) return void inFlight.push(done);
    done(null);
  };
  return fs.createWriteStream(path, {
    ...(options.flags ? { flags: options.flags } : {}),
    ...(options.mode !== undefined ? { mode: options.mode } : {}),
    fs: {
      open: fs.open,
      write: (fd: number, buffer: Buffer, offset: number, length: number, position: number | null, cb: (err: NodeJS.ErrnoException | null, n?: number, b?: Buffer) => void) =>
        fs.write(fd, buffer, offset, length, position, (err, n) => (err ? cb(err) : paced(fd, n, (e) => cb(e, n, buffer)))),
      writev: (fd: number, buffers: NodeJS.ArrayBufferView[], position: number | null, cb: (err: NodeJS.ErrnoException | null, n?: number, b?: NodeJS.ArrayBufferView[]) => void) =>
        fs.writev(fd, buffers, position, (err, n) => (err ? cb(err) : paced(fd, n, (e) => cb(e, n, buffers)))),
      close: (fd: number, cb: Done) => {
        // The last bytes are synced before the close; a failed sync still closes the descriptor, the error goes to the stream.
        const last = (): void => {
          if (syncError) return fs.close(fd, () => cb(syncError));
          if (unsynced === 0) return fs.close(fd, cb);
          unsynced = 0;
          fs.fdatasync(fd, (syncErr) => fs.close(fd, (closeErr) => cb(syncErr ?? closeErr)));
        };
        if (inFlight) inFlight.push(() => last());
        else last();
      },
    },
  });
}
