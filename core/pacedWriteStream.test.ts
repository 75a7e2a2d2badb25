import fs, { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPacedWriteStream } from './pacedWriteStream.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rs-paced-'));
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe('paced write stream', () => {
  it('syncs each time enough bytes were written, and the rest before it closes; the file holds every byte in order', async () => {
    const syncs = vi.spyOn(fs, 'fdatasync');
    const file = join(dir, 'out.bin');
    const out = createPacedWriteStream(file, { syncEveryBytes: 1000 });
    await once(out, 'open');
    const write = (piece: Buffer): Promise<void> => new Promise((resolve, reject) => out.write(piece, (err) => (err ? reject(err) : resolve())));
    const pieces: Buffer[] = [];
    for (let i = 0; i < 10; i += 2) {
      const pair = [Buffer.alloc(300, i), Buffer.alloc(300, i + 1)];
      pieces.push(...pair);
      // A corked pair goes through writev, a single write through write: both are counted.
      if (i % 4 === 0) {
        out.cork();
        const both = Promise.all(pair.map(write));
        out.uncork();
        await both;
      } else {
        for (const piece of pair) await write(piece);
      }
    }
    out.end();
    await finished(out);
    expect(readFileSync(file)).toEqual(Buffer.concat(pieces));
    // 3,000 bytes in pieces of 300 or 600: a sync once 1,000 or more piled up (after 1,200, and after 2,400
    // unless the first still runs then), and one for what was left at the close.
    expect(syncs.mock.calls.length).toBeGreaterThanOrEqual(2);
    expect(syncs.mock.calls.length).toBeLessThanOrEqual(3);
  });

  it('does not sync a small file until it closes, and then once', async () => {
    const syncs = vi.spyOn(fs, 'fdatasync');
    const out = createPacedWriteStream(join(dir, 'small.txt'));
    out.end('a few bytes');
    await finished(out);
    expect(syncs).toHaveBeenCalledTimes(1);
  });

  it("keeps open's own refusal: an exclusive create of a name that exists fails and leaves the file as it was", async () => {
    const file = join(dir, 'taken.txt');
    writeFileSync(file, 'kept');
    const out = createPacedWriteStream(file, { flags: 'wx' });
    await expect(finished(out)).rejects.toMatchObject({ code: 'EEXIST' });
    expect(readFileSync(file, 'utf8')).toBe('kept');
  });

  it('holds the writes up while a sync runs once four steps piled up behind it, so dirty pages stay bounded', async () => {
    const pending: ((err: NodeJS.ErrnoException | null) => void)[] = [];
    vi.spyOn(fs, 'fdatasync').mockImplementation(((_fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => void pending.push(cb)) as typeof fs.fdatasync);
    const out = createPacedWriteStream(join(dir, 'slow-disk.bin'), { syncEveryBytes: 100 });
    await once(out, 'open');
    let acknowledged = 0;
    const write = (): Promise<void> => new Promise((resolve) => out.write(Buffer.alloc(100), () => (acknowledged++, resolve())));
    await write(); // 100: a sync starts, and does not finish
    for (let i = 0; i < 3; i++) await write(); // 300 more beside it
    const held = write(); // 400 behind the running sync: held
    await new Promise((r) => setTimeout(r, 50));
    expect(acknowledged).toBe(4);
    pending.shift()!(null);
    await held;
    expect(acknowledged).toBe(5);
    out.end();
    // The close syncs what is left once the sync for it returns.
    await new Promise((r) => setTimeout(r, 20));
    pending.shift()?.(null);
    await finished(out);
  });

  it('a failed sync fails the stream', async () => {
    vi.spyOn(fs, 'fdatasync').mockImplementation(((_fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => {
      cb(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }));
    }) as typeof fs.fdatasync);
    const out = createPacedWriteStream(join(dir, 'eio.bin'), { syncEveryBytes: 10 });
    out.write(Buffer.alloc(100));
    out.end();
    await expect(finished(out)).rejects.toMatchObject({ code: 'EIO' });
  });
});
