import { beforeEach, describe, expect, it } from 'vitest';
import { useIntakeStore } from './intake.js';
import type { ItemLookup } from '../../../contract/index.js';

const error = { code: 'NOT_FOUND' as const, messageKey: 'error.itemNotOnRma', params: {}, message: 'not on return' };

/** An item as item.lookup answers it, of parcel p-1. */
const foundItem = (parcelStatus: ItemLookup['parcelStatus']): ItemLookup => ({
  itemId: 'i-1', lpn: 'LPN-BENCH01-0000001', sku: 'APP-1', name: 'Shirt', nameJa: 'シャツ', kind: 'expected', grade: 'B',
  disposition: 'resale', destination: 'OUTLET', parcelId: 'p-1', parcelStatus, rmaNumber: 'RMA-00000001',
  reviewStatus: 'none', reviewedBy: null, reviewedAt: null, gradedAt: '2026-11-01T00:00:00.000Z', operatorId: 'OP-1', operatorName: 'A', labelPrinted: true,
});

describe('intake UI state', () => {
  beforeEach(() => useIntakeStore.getState().signedOut());

  it('walks parcel → item → grade → result and back to the parcel prompt', () => {
    const s = useIntakeStore.getState;
    s().parcelOpened('p-1');
    expect(s()).toMatchObject({ step: 'scanItem', parcelId: 'p-1' });
    s().itemMatched('line-1', 'T'.repeat(32));
    expect(s()).toMatchObject({ step: 'grade', lineId: 'line-1', matchToken: 'T'.repeat(32) });
    s().itemGraded('item-1');
    expect(s()).toMatchObject({ step: 'result', itemId: 'item-1', parcelId: 'p-1' });
    s().parcelClosed('p-1');
    expect(s()).toMatchObject({ step: 'scanParcel', parcelId: null, lineId: null, itemId: null, closedParcelId: 'p-1' });
  });

  it('an LPN looked up shows the item in place of the closed parcel; the next refusal or Esc takes it away', () => {
    const s = useIntakeStore.getState;
    const item = foundItem('closed');
    s().parcelClosed('p-1');
    s().itemLookedUp(item);
    expect(s()).toMatchObject({ step: 'scanParcel', itemFound: { lpn: 'LPN-BENCH01-0000001' }, closedParcelId: null, notice: null });
    s().scanRejected({ kind: 'error', error, during: 'parcel' });
    expect(s().itemFound).toBeNull();
    s().itemLookedUp(item);
    s().noticeDismissed();
    expect(s().itemFound).toBeNull();
    s().itemLookedUp(item);
    s().parcelOpened('p-2');
    expect(s().itemFound).toBeNull();
  });

  it('a scan set aside while the station was busy keeps its answer past that call\'s success, for one step only', () => {
    const s = useIntakeStore.getState;
    // Two parcel labels in one serial read: the second comes while the first is being opened.
    s().scanIgnored('busy', 'RMA-00000011');
    s().parcelOpened('p-1');
    expect(s()).toMatchObject({ step: 'scanItem', parcelId: 'p-1', notice: { kind: 'ignored', because: 'busy', code: 'RMA-00000011' } });
    s().itemMatched('line-1', 'T'.repeat(32));
    expect(s().notice).toBeNull();
    // Two item scans at once: the first is matched, the second is answered.
    s().gradingCancelled();
    s().scanIgnored('busy', '4901234567894');
    s().itemMatched('line-1', 'U'.repeat(32));
    expect(s().notice).toMatchObject({ kind: 'ignored', because: 'busy', code: '4901234567894' });
    s().itemGraded('item-1');
    expect(s().notice).toBeNull();
    // Any other notice is the step's own and goes with the success, as before.
    s().scanIgnored('confirmClose', 'X');
    s().parcelClosed('p-1');
    expect(s().notice).toBeNull();
  });

  it('an LPN looked up with a parcel in hand keeps that parcel open; the next item scan takes the panel away', () => {
    const s = useIntakeStore.getState;
    const item = foundItem('open');
    s().parcelOpened('p-1');
    s().itemMatched('line-1', 'T'.repeat(32));
    s().itemGraded('item-1');
    s().itemLookedUp(item);
    expect(s()).toMatchObject({ step: 'scanItem', parcelId: 'p-1', itemId: null, itemFound: { lpn: 'LPN-BENCH01-0000001' } });
    s().noticeDismissed();
    expect(s()).toMatchObject({ step: 'scanItem', parcelId: 'p-1', itemFound: null });
    s().itemLookedUp(item);
    s().itemMatched('line-2', 'U'.repeat(32));
    expect(s()).toMatchObject({ step: 'grade', parcelId: 'p-1', lineId: 'line-2', itemFound: null });
    s().gradingCancelled();
    s().itemLookedUp(item);
    s().itemNotOnReturn({ code: '4900000000012', gtin: '04900000000012', sku: null }, { kind: 'error', error, during: 'item' });
    expect(s()).toMatchObject({ step: 'scanItem', parcelId: 'p-1', itemFound: null });
  });

  it('a refused scan keeps the current step and shows a notice until the next success', () => {
    const s = useIntakeStore.getState;
    s().parcelOpened('p-1');
    s().itemMatched('line-1', 'T'.repeat(32));
    s().itemGraded('item-1');
    s().scanRejected({ kind: 'error', error, during: 'item' });
    expect(s()).toMatchObject({ step: 'result', itemId: 'item-1', notice: { kind: 'error' } });
    s().itemMatched('line-2', 'U'.repeat(32));
    expect(s().notice).toBeNull();
  });

  it('the search offered for an unknown label is not kept for the next parcel (a refused or unreadable label, or Escape)', () => {
    const s = useIntakeStore.getState;
    const notFound = { kind: 'error' as const, error: { code: 'NOT_FOUND' as const, messageKey: 'error.noRmaForCode', params: {}, message: 'no return' }, during: 'parcel' as const };
    s().parcelNotFound('LABEL-A', notFound);
    expect(s().unmatchedCode).toBe('LABEL-A');
    const tooLong = { code: 'INVALID_INPUT' as const, messageKey: 'error.invalidInput', params: { field: 'code' }, message: 'scan too long' };
    s().scanRejected({ kind: 'error', error: tooLong, during: 'parcel' });
    expect(s().unmatchedCode).toBeNull();

    s().parcelNotFound('LABEL-A', notFound);
    s().scanRejected({ kind: 'scanner', problems: [{ kind: 'ime-kana' }], raw: 'あ' });
    expect(s().unmatchedCode).toBeNull();

    s().parcelNotFound('LABEL-A', notFound);
    s().noticeDismissed();
    expect(s()).toMatchObject({ step: 'scanParcel', unmatchedCode: null, notice: null });

    // Another kind of refusal (a container key, a reprint) leaves the offer where it is.
    s().parcelNotFound('LABEL-A', notFound);
    s().scanRejected({ kind: 'error', error, during: 'other' });
    expect(s().unmatchedCode).toBe('LABEL-A');
  });

  it('a scan the station no longer holds goes back to scanning the item, dropping its token', () => {
    const s = useIntakeStore.getState;
    s().parcelOpened('p-1');
    s().itemMatched('line-1', 'T'.repeat(32));
    const expired = { code: 'CONFLICT' as const, messageKey: 'error.matchExpired', params: {}, message: 'scan again' };
    s().rescanNeeded({ kind: 'error', error: expired, during: 'grade' });
    expect(s()).toMatchObject({ step: 'scanItem', parcelId: 'p-1', lineId: null, matchToken: null, notice: { kind: 'error', error: { messageKey: 'error.matchExpired' } } });
  });

  it('an item not on the return can be graded as a wrong item in place of a line', () => {
    const s = useIntakeStore.getState;
    s().parcelOpened('p-1');
    s().itemNotOnReturn({ code: '4901', gtin: '04901234567894', sku: 'SKU-9' }, { kind: 'error', error, during: 'item' });
    expect(s()).toMatchObject({ step: 'scanItem', unknownItem: { sku: 'SKU-9' } });
    s().unexpectedChosen({ kind: 'wrong', gtin: '04901234567894', sku: 'SKU-9', insteadOfLineId: 'line-1' });
    expect(s()).toMatchObject({ step: 'grade', lineId: null, unknownItem: null, unexpected: { kind: 'wrong', insteadOfLineId: 'line-1' } });
    s().gradingCancelled();
    expect(s()).toMatchObject({ step: 'scanItem', unexpected: null });
  });

  it('a parcel that matches no return keeps its code for the search', () => {
    const s = useIntakeStore.getState;
    s().parcelNotFound('1234', { kind: 'error', error: { ...error, messageKey: 'error.noRmaForCode' }, during: 'parcel' });
    s().searchStarted();
    expect(s()).toMatchObject({ step: 'search', unmatchedCode: '1234', notice: null });
    s().searchCancelled();
    expect(s()).toMatchObject({ step: 'scanParcel', unmatchedCode: null });
  });

  it('a close waits for its confirmation, which Escape withdraws without closing anything', () => {
    const s = useIntakeStore.getState;
    s().parcelOpened('p-1');
    s().closeRequested();
    expect(s()).toMatchObject({ step: 'scanItem', parcelId: 'p-1', confirmingClose: true });
    s().closeCancelled();
    expect(s()).toMatchObject({ step: 'scanItem', parcelId: 'p-1', confirmingClose: false });
  });

  it('Escape on the close question also takes away "answer the question first" about a scan made meanwhile', () => {
    const s = useIntakeStore.getState;
    s().parcelOpened('p-1');
    s().closeRequested();
    s().scanIgnored('confirmClose', '4512345000271');
    expect(s().notice).toMatchObject({ kind: 'ignored', because: 'confirmClose' });
    s().closeCancelled();
    expect(s()).toMatchObject({ confirmingClose: false, notice: null });
    // Any other notice is not the question's to take.
    s().closeRequested();
    s().scanIgnored('busy', '4512345000271');
    s().closeCancelled();
    expect(s().notice).toMatchObject({ kind: 'ignored', because: 'busy' });
  });

  it('a scan set aside keeps the step and says why', () => {
    const s = useIntakeStore.getState;
    s().parcelOpened('p-1');
    s().itemMatched('line-1', 'T'.repeat(32));
    s().scanIgnored('grading', '4901234567894');
    expect(s()).toMatchObject({ step: 'grade', lineId: 'line-1', notice: { kind: 'ignored', because: 'grading', code: '4901234567894' } });
  });

  it('a return already received is shown until the next parcel opens', () => {
    const s = useIntakeStore.getState;
    s().returnAlreadyReceived({ code: 'T1', parcelId: 'p-0', receivedAt: '2026-11-10T01:00:00.000Z', bench: 'BENCH-01', operator: '佐藤 花子' });
    expect(s()).toMatchObject({ step: 'scanParcel', parcelId: null, alreadyReceived: { parcelId: 'p-0' } });
    s().parcelOpened('p-2');
    expect(s().alreadyReceived).toBeNull();
  });
});
