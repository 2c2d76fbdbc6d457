/** Runs `npm run verify`'s command in a child process, as CI would, and reads its reports. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { VerifyReport } from '../../../tools/verify/report';

const ROOT = new URL('../../../', import.meta.url).pathname;
const out = mkdtempSync(join(tmpdir(), 'ce-verify-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Its exit status, output and reports. */
export async function verify(args: string[], name: string) {
  const json = join(out, `${name}.json`);
  const report = join(out, `${name}.html`);
  const child = spawn(
    process.execPath,
    ['node_modules/tsx/dist/cli.mjs', 'tools/verify/cli.ts', ...args, '--json', json, '--report', report],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const parsed = code === 2 ? null : (JSON.parse(readFileSync(json, 'utf8')) as VerifyReport);
  return { code, output, report: parsed, html: code === 2 ? '' : readFileSync(report, 'utf8') };
}
