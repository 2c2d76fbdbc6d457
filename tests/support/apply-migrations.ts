/** Applies the D1 migrations to the local database before the worker tests run. */
import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';

const bindings = env as unknown as { CONSENT_DB: D1Database; TEST_MIGRATIONS: Parameters<typeof applyD1Migrations>[1] };
if (bindings.TEST_MIGRATIONS?.length) await applyD1Migrations(bindings.CONSENT_DB, bindings.TEST_MIGRATIONS);
