/**
 * Finds a Chromium for the browser tests and launches it with playwright-core. The order:
 * `CHROMIUM_PATH`; a system Chrome or Chromium; else the one inside the `@sparticuz/chromium` npm
 * package, unpacked on first use (about 2 s), so `npm install && npm test` needs no system browser.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

export interface ChromiumBinary {
  path: string;
  /** Where it came from, for the test log. */
  source: 'CHROMIUM_PATH' | 'system' | 'npm';
}

const SYSTEM_NAMES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome', 'chrome'];
const SYSTEM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A system Chrome or Chromium: first on `PATH`, then the usual install locations. */
export function systemChromium(env: Readonly<Record<string, string | undefined>> = process.env, paths = SYSTEM_PATHS): string | undefined {
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of SYSTEM_NAMES) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (executable(candidate)) return candidate;
    }
  }
  return paths.find(executable);
}

/**
 * Resolves the browser: `CHROMIUM_PATH`, then a system one, then the npm-packaged one (Linux x64).
 * The install locations and the npm unpacker are parameters so the order can be tested.
 */
export async function resolveChromium(
  env: Readonly<Record<string, string | undefined>> = process.env,
  { systemPaths = SYSTEM_PATHS, unpack = unpackNpmChromium }: { systemPaths?: string[]; unpack?: () => Promise<string> } = {},
): Promise<ChromiumBinary> {
  const explicit = env.CHROMIUM_PATH;
  if (explicit) {
    if (!executable(explicit)) throw new Error(`CHROMIUM_PATH=${explicit} is not an executable file`);
    return { path: explicit, source: 'CHROMIUM_PATH' };
  }
  const system = systemChromium(env, systemPaths);
  if (system) return { path: system, source: 'system' };
  return { path: await unpack(), source: 'npm' };
}

async function unpackNpmChromium(): Promise<string> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error('No Chrome or Chromium found: install one, or set CHROMIUM_PATH (the npm-packaged Chromium is Linux x64 only)');
  }
  const { default: packaged } = await import('@sparticuz/chromium');
  return packaged.executablePath();
}

let found: Promise<ChromiumBinary> | undefined;

/** `resolveChromium` once per process. */
export function findChromium(): Promise<ChromiumBinary> {
  found ??= resolveChromium();
  return found;
}

/**
 * The suite's own flags: headless, no sandbox (tests may run as root), nothing talking to the
 * network on its own. Not the npm package's `args`: they include `--disable-web-security` and
 * `--single-process`, which would void the CSP and cross-origin checks.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-zygote',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches the browser `findChromium` resolves. */
export async function launchChromium(): Promise<Browser> {
  const { path } = await findChromium();
  return chromium.launch({ executablePath: path, args: CHROMIUM_ARGS });
}
