/**
 * Three test projects: pure rules in Node, the worker end to end in workerd (in front of a real
 * origin on 127.0.0.1), and the banner in real Chromium.
 */
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

const migrations = await readD1Migrations('./migrations');

export default defineConfig({
  test: {
    globalSetup: ['./tests/support/global-setup.ts'],
    projects: [
      {
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                CONSENT_SECRET: 'test-secret-current',
                CONSENT_SECRET_PREVIOUS: 'test-secret-previous',
                TEST_MIGRATIONS: migrations,
              },
            },
          }),
        ],
        test: {
          name: 'worker',
          include: ['tests/worker/**/*.test.ts'],
          globalSetup: ['./tests/support/global-setup.ts'],
          setupFiles: ['./tests/support/apply-migrations.ts'],
        },
      },
      {
        test: {
          name: 'browser',
          // The cleanup tests start whole stacks too, so they share this project's one-at-a-time rule.
          include: ['tests/browser/**/*.test.ts', 'tests/ops/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
