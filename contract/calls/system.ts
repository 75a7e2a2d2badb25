import { StationInfo } from '../entities.js';
import { call, Empty } from './define.js';

export const systemCalls = {
  'system.info': call({ access: 'public', background: true, input: Empty, output: StationInfo }),
} as const;
