import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['contract/**/*.test.ts', 'domain/**/*.test.ts', 'shared-node/**/*.test.ts', 'core/**/*.test.ts', 'db/**/*.test.ts', 'native/**/*.test.ts', 'electron/**/*.test.ts', 'fixtures/**/*.test.ts', 'renderer/**/*.test.ts', 'renderer/**/*.test.tsx', 'tests/**/*.test.ts', 'preview/**/*.test.ts', 'app/**/*.test.ts', 'perf/**/*.test.ts', 'hub/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
