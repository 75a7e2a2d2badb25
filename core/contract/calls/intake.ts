import { z } from 'zod';
import { GradedItem, Grade, ItemMatch, ParcelView } from '../entities.js';
import { ANY_OPERATOR, call, ScannedCode } from './define.js';

export const intakeCalls = {
  'parcel.open': call({ access: ANY_OPERATOR, input: z.object({ code: ScannedCode }).strict(), output: ParcelView }),
  'parcel.matchItem': call({
    access: ANY_OPERATOR,
    input: z.object({ parcelId: z.string().uuid(), code: ScannedCode }).strict(),
    output: ItemMatch,
  }),
  'item.grade': call({
    access: ANY_OPERATOR,
    input: z.object({ parcelId: z.string().uuid(), lineId: z.string().min(1).max(64), grade: Grade }).strict(),
    output: GradedItem,
  }),
} as const;
