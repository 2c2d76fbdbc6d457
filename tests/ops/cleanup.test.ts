/**
 * Nothing outlives a test run: a suite that starts wrangler dev, workerd, the demo origin,
 * Chromium and a detached child, and then fails, times out or is interrupted, leaves no process
 * behind once `scripts/run.mjs` (what `npm test` runs) has exited.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;

/** Live processes whose environment carries the probe, with their command lines. */
function probed(probe: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(`CE_LEAK_PROBE=${probe}`)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue; // a zombie holds nothing
      found.push(`${entry} ${readFileSync(`/proc/${entry}/cmdline`, 'latin1').replaceAll('\0', ' ').slice(0, 120)}`);
    } catch {}
  }
  return found;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

describe.runIf(process.platform === 'linux')('a test run that ends badly', () => {
  it.each([
    ['fails', 'fail', undefined],
    ['times out', 'timeout', undefined],
    ['is interrupted with Ctrl-C', 'hang', 'SIGINT'],
    ['is terminated', 'hang', 'SIGTERM'],
  ] as const)(
    'leaves no process behind when the suite %s',
    async (_, mode, signal) => {
      const probe = randomBytes(8).toString('hex');
      const dir = mkdtempSync(join(tmpdir(), 'ce-leak-'));
      const ready = join(dir, 'ready');
      const runner = spawn(process.execPath, ['scripts/run.mjs', 'vitest', 'run', '--config', 'tests/fixtures/leak/vitest.config.ts'], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, CE_LEAK_PROBE: probe, CE_LEAK_MODE: mode, CE_LEAK_READY: ready, CONSENT_EDGE_RUN: '' },
      });
      let output = '';
      runner.stdout?.on('data', (c) => (output += c));
      runner.stderr?.on('data', (c) => (output += c));
      try {
        await waitFor(() => existsSync(ready) || runner.exitCode !== null, 150_000, 'the suite to start its stack');
        expect(existsSync(ready), output).toBe(true);
        const running = probed(probe);
        // The check below means something only if the suite really left these running.
        for (const name of ['workerd', 'chrom', 'sleep 600', 'wrangler']) {
          expect(
            running.some((line) => line.includes(name)),
            `${name} in\n${running.join('\n')}`,
          ).toBe(true);
        }
        writeFileSync(`${ready}.go`, ''); // the failing suite may fail now
        if (signal) runner.kill(signal);
        const code = await Promise.race([exited(runner), sleep(90_000).then(() => 'still running')]);
        expect(code, output).not.toBe('still running');
        expect(code).not.toBe(0);
        expect(probed(probe)).toEqual([]);
      } finally {
        if (runner.exitCode === null) runner.kill('SIGKILL');
        for (const line of probed(probe)) process.kill(Number(line.split(' ')[0]), 'SIGKILL');
        rmSync(dir, { recursive: true, force: true });
      }
    },
    300_000,
  );
});
