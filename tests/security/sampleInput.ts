// A minimal schema-valid value for a zod schema, so the role matrix reaches the role check
// (the gate validates input first) for calls it has never seen. Returns undefined when it cannot.
import type { z } from 'zod';

/** Strings tried in order for a string schema with checks (formats, regexes, lengths). */
const STRING_CANDIDATES = [
  'a',
  'abc',
  '00000000-0000-4000-8000-000000000000',
  'RMA-00000001',
  'OP-1001',
  '1234',
  '2026-01-01',
  '2026-01-01T00:00:00.000Z',
  'BENCH-01',
  'report',
  'report.csv',
  'https://example.invalid/',
  'A'.repeat(8),
  '1'.repeat(13),
  'x'.repeat(32),
];
const NUMBER_CANDIDATES = [0, 1, 10, 100, 1000, -1, 0.5];

interface Def {
  type: string;
  [key: string]: unknown;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

function firstValid(schema: z.ZodType, candidates: readonly unknown[]): unknown {
  for (const c of candidates) if (schema.safeParse(c).success) return c;
  return undefined;
}

export function sampleInput(schema: z.ZodType, depth = 0): unknown {
  if (depth > 10) return undefined;
  const def = defOf(schema);
  let value: unknown;
  switch (def.type) {
    case 'object': {
      const shape = def.shape as Record<string, z.ZodType>;
      const out: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(shape)) {
        // Optional and defaulted fields are left out: the minimal input.
        if (field.safeParse(undefined).success) continue;
        const v = sampleInput(field, depth + 1);
        if (v === undefined) return undefined;
        out[key] = v;
      }
      value = out;
      break;
    }
    case 'string':
      value = firstValid(schema, STRING_CANDIDATES);
      break;
    case 'number':
    case 'int':
      value = firstValid(schema, NUMBER_CANDIDATES);
      break;
    case 'boolean':
      value = false;
      break;
    case 'null':
      value = null;
      break;
    case 'enum':
      value = Object.values(def.entries as Record<string, unknown>)[0];
      break;
    case 'literal':
      value = (def.values as unknown[])[0];
      break;
    case 'array':
      value = firstValid(schema, [[]]) ?? [sampleInput(def.element as z.ZodType, depth + 1)];
      break;
    case 'record':
      value = {};
      break;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
      value = sampleInput(def.innerType as z.ZodType, depth + 1);
      break;
    case 'pipe':
      value = sampleInput(def.in as z.ZodType, depth + 1);
      break;
    case 'union':
      for (const option of def.options as z.ZodType[]) {
        value = sampleInput(option, depth + 1);
        if (value !== undefined) break;
      }
      break;
    case 'lazy':
      value = sampleInput((def.getter as () => z.ZodType)(), depth + 1);
      break;
    default:
      return undefined;
  }
  return value !== undefined && schema.safeParse(value).success ? value : undefined;
}
