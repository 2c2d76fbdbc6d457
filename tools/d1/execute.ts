/**
 * Node only (used by scripts/consent-export.ts and scripts/audit.ts, never by the worker): runs
 * one SQL command through `wrangler d1 execute` against the local or the remote database.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';

/** `database_name` of the CONSENT_DB binding in wrangler.toml. */
export const DATABASE = 'consent-log';

export interface D1Target {
  remote: boolean;
  /** Local state directory (`wrangler --persist-to`); default `.wrangler/state`, the one `npm start` uses. */
  persistTo?: string;
  /** Directory holding wrangler.toml (default: the repository root). */
  cwd?: string;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const D1Output = z.array(
  z.object({
    results: z.array(z.record(z.string(), z.unknown())).default([]),
    success: z.boolean().optional(),
    meta: z.record(z.string(), z.unknown()).optional(),
  }),
);
export type D1Output = z.infer<typeof D1Output>;

/** Wrangler's JSON error shape: `{"error": {"text": …}}`. */
const D1Error = z.object({ error: z.object({ text: z.string() }) });

/**
 * Runs one SQL command, or a SQL file, built from validated values only, and returns wrangler's
 * parsed JSON. Arguments are passed as argv elements, never through a shell.
 * @example
 * const [page] = d1Execute('SELECT count(*) AS n FROM consent_decisions', { remote: false });
 */
export function d1Execute(sql: string | { file: string }, target: D1Target): D1Output {
  for (let attempt = 1; ; attempt++) {
    try {
      return d1ExecuteOnce(sql, target);
    } catch (error) {
      // The local database is shared with a running `wrangler dev`; concurrent access to it
      // fails now and then ("Failed to get session commit token"). Every command here is safe
      // to repeat: reads, and a DELETE by consent id.
      if (attempt >= 3 || !TRANSIENT.test((error as Error).message)) throw error;
    }
  }
}

const TRANSIENT = /internal error|SQLITE_BUSY|database is locked/i;

function d1ExecuteOnce(sql: string | { file: string }, target: D1Target): D1Output {
  const wrangler = join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
  if (!existsSync(wrangler)) throw new Error('wrangler is not installed: run npm install');
  const input = typeof sql === 'string' ? ['--command', sql] : ['--file', sql.file, '--yes'];
  const args = [wrangler, 'd1', 'execute', DATABASE, target.remote ? '--remote' : '--local', '--json', ...input];
  if (!target.remote && target.persistTo) args.push('--persist-to', target.persistTo);
  const run = spawnSync(process.execPath, args, {
    cwd: target.cwd ?? root,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
  if (run.error) throw run.error;
  const parsed = parseJson(run.stdout);
  const failure = D1Error.safeParse(parsed);
  if (failure.success) throw new Error(explain(failure.data.error.text));
  const output = D1Output.safeParse(parsed);
  if (run.status !== 0 || !output.success) {
    const detail = `${run.stderr ?? ''}${run.stdout ?? ''}`.trim().split('\n').slice(-8).join('\n');
    throw new Error(explain(detail || `wrangler exited with ${run.status}`));
  }
  return output.data;
}

function parseJson(text: string | null): unknown {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return null;
  }
}

/** Adds the fix for the mistakes ops actually make. */
function explain(text: string): string {
  if (/no such table/i.test(text)) {
    return `${text}\nThe consent log tables do not exist in this database yet: run \`npx wrangler d1 migrations apply ${DATABASE} --local\` (or --remote).`;
  }
  return text;
}
