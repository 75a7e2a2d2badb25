import { z } from 'zod';
import { Sha256 } from '../entities.js';
import { MAX_PHOTO_BASE64_CHARS } from '../limits.js';
import { ANY_OPERATOR, call, LEADS } from './define.js';

export const photoCalls = {
  /** A JPEG or PNG (≤ 5 MB) stored content-addressed; pass the hash to item.grade, or give itemId to attach it to a graded item. */
  'photo.attach': call({
    access: ANY_OPERATOR,
    input: z
      .object({
        dataBase64: z.string().min(8).max(MAX_PHOTO_BASE64_CHARS),
        itemId: z.string().uuid().optional(),
      })
      .strict(),
    output: z.object({ sha256: Sha256, mime: z.enum(['image/jpeg', 'image/png']), bytes: z.number().int().positive() }),
  }),
  /**
   * A photo the customer attached to their declaration, for the grader at the bench (who may not see the
   * bench's own photos); NOT_FOUND for any other hash.
   */
  'photo.customer': call({
    access: ANY_OPERATOR,
    input: z.object({ sha256: Sha256 }).strict(),
    output: z.object({ mime: z.enum(['image/jpeg', 'image/png']), dataBase64: z.string() }),
  }),
  /** A stored photo by its hash, for the lead's review; NOT_FOUND for a hash the station never received. */
  'photo.get': call({
    access: LEADS,
    input: z.object({ sha256: Sha256 }).strict(),
    output: z.object({ mime: z.enum(['image/jpeg', 'image/png']), dataBase64: z.string() }),
  }),
} as const;
