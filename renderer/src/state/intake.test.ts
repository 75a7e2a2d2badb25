import { beforeEach, describe, expect, it } from 'vitest';
import { useIntakeStore } from './intake.js';

const error = { code: 'NOT_FOUND' as const, messageKey: 'error.itemNotOnRma', params: {}, message: 'not on return' };

describe('intake UI state', () => {
  beforeEach(() => useIntakeStore.getState().parcelClosed());

  it('walks parcel → item → grade → result and back to the parcel prompt', () => {
    const s = useIntakeStore.getState;
    s().parcelOpened('p-1');
    expect(s()).toMatchObject({ step: 'scanItem', parcelId: 'p-1' });
    s().itemMatched('line-1');
    expect(s()).toMatchObject({ step: 'grade', lineId: 'line-1' });
    s().itemGraded('item-1');
    expect(s()).toMatchObject({ step: 'result', itemId: 'item-1', parcelId: 'p-1' });
    s().parcelClosed();
    expect(s()).toMatchObject({ step: 'scanParcel', parcelId: null, lineId: null, itemId: null });
  });

  it('a refused scan keeps the current step and shows a notice until the next success', () => {
    const s = useIntakeStore.getState;
    s().parcelOpened('p-1');
    s().itemMatched('line-1');
    s().itemGraded('item-1');
    s().scanRejected({ kind: 'error', error, during: 'item' });
    expect(s()).toMatchObject({ step: 'result', itemId: 'item-1', notice: { kind: 'error' } });
    s().itemMatched('line-2');
    expect(s().notice).toBeNull();
  });
});
