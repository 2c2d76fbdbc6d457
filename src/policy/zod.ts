/**
 * The zod the worker's schemas are written with: zod/mini (functions and `.check()` instead of
 * methods, so the bundle carries only the schema kinds it uses, and not zod's JSON Schema
 * generator) with zod's English messages, which zod/mini does not load on its own. Every schema
 * under src/ imports `z` from here: `import * as z from '../policy/zod'`.
 */
import { en } from 'zod/locales';
import { config } from 'zod/mini';

config(en());

export * from 'zod/mini';
