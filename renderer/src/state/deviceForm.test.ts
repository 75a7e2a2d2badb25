import { beforeEach, describe, expect, it } from 'vitest';
import { draftOf } from '../ui/deviceDrafts.js';
import { printerDraftOf } from '../ui/printerDraft.js';
import { useDeviceFormStore } from './deviceForm.js';

const s = () => useDeviceFormStore.getState();
const scanner = () => draftOf({ id: 'scanner-1', driver: 'serial-scanner', serial: { path: '/dev/ttyUSB0' } }, s().keyTaken());

describe('the Devices form’s unsaved edits for the session', () => {
  beforeEach(() => s().signedOut());

  it('stay for the operator who made them, and go at sign-out', () => {
    s().ownedBy('OP-2001');
    s().draftsSet([{ ...scanner(), path: '/dev/ttyUSB1' }]);
    // The screen mounted again for the same lead: nothing is dropped.
    s().ownedBy('OP-2001');
    expect(s().drafts?.[0]?.path).toBe('/dev/ttyUSB1');
    s().signedOut();
    expect(s().drafts).toBeNull();
  });

  it('are not shown to another operator signed in after an idle sign-out', () => {
    s().ownedBy('OP-2001');
    s().draftsSet([scanner()]);
    s().ownedBy('OP-3001');
    expect(s().drafts).toBeNull();
  });

  it('keep the printer section as typed for its operator only, and drop it at sign-out', () => {
    const typed = { ...printerDraftOf({ transport: 'none' }), transport: 'tcp' as const, host: '10.0.0.9' };
    s().ownedBy('OP-2001');
    s().printerSet(typed);
    s().ownedBy('OP-2001');
    expect(s().printer).toEqual(typed);
    s().ownedBy('OP-3001');
    expect(s().printer).toBeNull();
    s().printerSet(typed);
    s().signedOut();
    expect(s().printer).toBeNull();
  });

  it('give each new entry a key no earlier entry had, across visits', () => {
    const a = s().keyTaken();
    s().signedOut();
    expect(s().keyTaken()).toBeGreaterThan(a);
  });
});
