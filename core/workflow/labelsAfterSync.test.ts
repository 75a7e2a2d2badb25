import { describe, expect, it } from 'vitest';
import type { PrintOutcome } from '../../contract/index.js';
import type { ItemLabel } from '../../contract/label.js';
import { heldCalls, settledSoon } from '../../shared-node/heldCalls.test-helper.js';
import { labelsAfterSync } from './labelsAfterSync.js';

const LABEL = { lpn: 'LPN-0001' } as ItemLabel;

function printer() {
  const printed: string[] = [];
  return {
    printed,
    labels: {
      preview: () => '<svg/>',
      print: async (label: ItemLabel): Promise<PrintOutcome> => {
        printed.push(label.lpn);
        return { status: 'printed', printer: 'test' };
      },
    },
  };
}

describe('labels print only once the grade is on disk', () => {
  it('holds the label until the sync of what was committed before it finishes', async () => {
    const p = printer();
    const sync = heldCalls();
    const print = labelsAfterSync(p.labels, { durable: sync.call }).print(LABEL);
    expect(await settledSoon(print)).toBe(false);
    expect(p.printed).toEqual([]);
    sync.release();
    expect(await print).toEqual({ status: 'printed', printer: 'test' });
    expect(p.printed).toEqual(['LPN-0001']);
  });

  it('prints nothing when the disk would not take the grade', async () => {
    const p = printer();
    const sync = heldCalls();
    const print = labelsAfterSync(p.labels, { durable: sync.call }).print(LABEL);
    await settledSoon(print);
    sync.release(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    await expect(print).rejects.toThrow('EIO');
    expect(p.printed).toEqual([]);
  });

  it('previews without waiting for the disk', () => {
    const p = printer();
    expect(labelsAfterSync(p.labels, { durable: () => new Promise(() => undefined) }).preview(LABEL)).toBe('<svg/>');
  });
});
