// A full disk and a database that cannot be written reach the operator as what they are, with what to do,
// instead of "Something went wrong inside the station". Both are real SQLite refusals here:
// PRAGMA max_page_count makes the next page SQLITE_FULL, PRAGMA query_only makes every write SQLITE_READONLY.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.test-helper.js';
import { storageError } from './errors.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness(() => undefined);
  await h.signIn('staff', 'staff');
});
afterEach(() => h.close());

const fill = (n: number) => Array.from({ length: n }, (_, i) => ({ label: `TOTE-${String(i).padStart(4, '0')}`, disposition: 'restock' as const }));

describe('storage faults at the dispatcher', () => {
  it('a full disk answers DISK_FULL / error.diskFull, and what was saved stays saved', async () => {
    await h.ok('staff', 'container.open', { label: 'TOTE-SAVED', disposition: 'restock' });
    const pages = h.db.pragma('page_count', { simple: true }) as number;
    h.db.pragma(`max_page_count = ${pages}`);
    let answer: unknown = null;
    for (const input of fill(400)) {
      const r = await h.handle('staff', 'container.open', input);
      if (!r.ok) {
        answer = r;
        break;
      }
    }
    expect(answer).toMatchObject({ ok: false, error: { code: 'DISK_FULL', messageKey: 'error.diskFull', message: expect.stringMatching(/disk .* is full.*free some disk space/) } });
    const labels = (await h.ok<Array<{ label: string }>>('staff', 'container.list', {})).map((c) => c.label);
    expect(labels).toContain('TOTE-SAVED');
  });

  it('a read-only database answers READ_ONLY / error.databaseReadOnly', async () => {
    h.db.pragma('query_only = ON');
    const r = await h.handle('staff', 'container.open', { label: 'TOTE-RO', disposition: 'restock' });
    expect(r).toMatchObject({ ok: false, error: { code: 'READ_ONLY', messageKey: 'error.databaseReadOnly', message: expect.stringMatching(/cannot write to its database.*ask IT/) } });
    h.db.pragma('query_only = OFF');
  });

  it('file-system codes map the same way (photos and exports are files)', () => {
    expect(storageError(Object.assign(new Error('no space'), { code: 'ENOSPC' }))?.code).toBe('DISK_FULL');
    expect(storageError(Object.assign(new Error('ro'), { code: 'EROFS' }))?.code).toBe('READ_ONLY');
    expect(storageError(Object.assign(new Error('x'), { code: 'SQLITE_IOERR_WRITE' }))?.code).toBe('READ_ONLY');
    expect(storageError(new Error('other'))).toBeNull();
  });
});
