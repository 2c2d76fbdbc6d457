import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveChromium } from '../support/chromium';

const dir = mkdtempSync(join(tmpdir(), 'ce-chromium-'));
const fake = (name: string, mode = 0o755) => {
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, mode);
  return path;
};
const systemDir = mkdtempSync(join(tmpdir(), 'ce-system-'));
writeFileSync(join(systemDir, 'chromium'), '#!/bin/sh\n');
chmodSync(join(systemDir, 'chromium'), 0o755);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(systemDir, { recursive: true, force: true });
});

const npm = { systemPaths: [], unpack: async () => '/unpacked/by/npm/chromium' };

describe('finding Chromium for the browser tests', () => {
  it('takes CHROMIUM_PATH first, even when a system Chromium is on PATH', async () => {
    const explicit = fake('my-chrome');
    expect(await resolveChromium({ CHROMIUM_PATH: explicit, PATH: systemDir }, npm)).toEqual({
      path: explicit,
      source: 'CHROMIUM_PATH',
    });
  });

  it('names a CHROMIUM_PATH that is not an executable file', async () => {
    const notExecutable = fake('not-executable', 0o644);
    await expect(resolveChromium({ CHROMIUM_PATH: notExecutable }, npm)).rejects.toThrow(`CHROMIUM_PATH=${notExecutable}`);
    await expect(resolveChromium({ CHROMIUM_PATH: join(dir, 'missing') }, npm)).rejects.toThrow('is not an executable file');
  });

  it('takes a system Chromium on PATH before the npm one', async () => {
    expect(await resolveChromium({ PATH: systemDir }, npm)).toEqual({ path: join(systemDir, 'chromium'), source: 'system' });
  });

  it('falls back to the npm-packaged Chromium when there is no other', async () => {
    expect(await resolveChromium({ PATH: dir }, npm)).toEqual({ path: '/unpacked/by/npm/chromium', source: 'npm' });
  });

  it('looks in the usual install locations when PATH has none', async () => {
    const installed = fake('google-chrome-stable');
    expect(await resolveChromium({ PATH: '' }, { ...npm, systemPaths: [join(dir, 'absent'), installed] })).toEqual({
      path: installed,
      source: 'system',
    });
  });
});
