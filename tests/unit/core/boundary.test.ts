/**
 * The core runs in the worker, the browser and Node alike: it imports only itself, and banner.js
 * imports only the core, its own files and the page API's published types. (Their tsconfigs, checked by `npm run check`, refuse any
 * runtime's API besides.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../../src/', import.meta.url).pathname;
const imports = (dir: string) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.ts'))
    .flatMap((file) =>
      [...readFileSync(join(root, dir, file), 'utf8').matchAll(/^\s*(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map((m) => ({
        file: `${dir}/${file}`,
        from: m[1] ?? '',
      })),
    );

describe('module boundaries', () => {
  it('src/core imports nothing but src/core', () => {
    for (const { file, from } of imports('core')) expect(from, file).toMatch(/^\.\/[a-z-]+$/);
  });

  it('banner.js is built from src/core and its own files only (and typed by the published page API)', () => {
    for (const { file, from } of imports('banner/client')) {
      expect(from, file).toMatch(/^(\.\/[a-z-]+|\.\.\/\.\.\/core\/[a-z-]+|\.\.\/\.\.\/\.\.\/types\/consent-edge)$/);
    }
  });
});
