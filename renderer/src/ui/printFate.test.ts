import { describe, expect, it } from 'vitest';
import type { PrintOutcome } from '../../../contract/index.js';
import { settledOutcome } from './printFate.js';

const waiting: PrintOutcome = {
  status: 'queued',
  printer: 'tcp://10.0.0.5:9100',
  printerName: '出荷口プリンター',
  message: 'Out of labels',
  messageKey: 'printer.fault.paperOut',
  messageParams: {},
};

describe('settledOutcome', () => {
  it('says "printed" once a waiting label has left the print queue, by a list fetched after the first answer', () => {
    expect(settledOutcome(waiting, 'LPN-1', 1000, { lpns: ['LPN-2', null], fetchedAt: 1001 })).toEqual({
      status: 'printed',
      printer: 'tcp://10.0.0.5:9100',
      printerName: '出荷口プリンター',
    });
  });

  it('keeps the first answer while the label is still queued, or the list is older than the answer, or there is none', () => {
    expect(settledOutcome(waiting, 'LPN-1', 1000, { lpns: ['LPN-1'], fetchedAt: 5000 })).toBe(waiting);
    // A list from before the label was queued never had it: it says nothing about the label.
    expect(settledOutcome(waiting, 'LPN-1', 1000, { lpns: [], fetchedAt: 999 })).toBe(waiting);
    expect(settledOutcome(waiting, 'LPN-1', 1000, undefined)).toBe(waiting);
  });

  it('an uncertain label stays uncertain while it is listed; one printed at once stays printed', () => {
    const uncertain: PrintOutcome = { ...waiting, status: 'failed', messageKey: 'printer.error.writeTimeout' };
    expect(settledOutcome(uncertain, 'LPN-1', 1000, { lpns: ['LPN-1'], fetchedAt: 2000 })).toBe(uncertain);
    const printed: PrintOutcome = { status: 'printed', printer: 'tcp://10.0.0.5:9100' };
    expect(settledOutcome(printed, 'LPN-1', 1000, { lpns: ['LPN-1'], fetchedAt: 2000 })).toBe(printed);
  });
});
