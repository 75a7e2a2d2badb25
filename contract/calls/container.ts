import { z } from 'zod';
import { ContainerView, Disposition } from '../entities.js';
import { ANY_OPERATOR, call, Empty, ScannedCode } from './define.js';

export const containerCalls = {
  'container.list': call({ access: ANY_OPERATOR, input: Empty, output: z.array(ContainerView) }),
  'container.open': call({
    access: ANY_OPERATOR,
    input: z.object({ label: ScannedCode, disposition: Disposition, destination: z.string().trim().min(1).max(32).optional() }).strict(),
    output: ContainerView,
  }),
  /** Scan the container label, then the item's LPN; refused when the item is routed elsewhere. */
  'container.sort': call({ access: ANY_OPERATOR, input: z.object({ label: ScannedCode, itemCode: ScannedCode }).strict(), output: ContainerView }),
  'container.close': call({ access: ANY_OPERATOR, input: z.object({ label: ScannedCode }).strict(), output: ContainerView }),
} as const;
