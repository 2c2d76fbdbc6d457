/**
 * The worker bundle stays a worker bundle: nothing under src/ imports a Node built-in (`node:*`,
 * or a bare `fs`, `child_process`, …) or reaches into the Node-side folders (tools/, scripts/,
 * bench/, demo/). Node-only code lives in tools/ and is run by scripts/. And it imports the small
 * entry points of its libraries: zod only through src/policy/zod.ts (zod/mini; `zod` itself brings
 * its whole method API and JSON Schema generator, about 17 KB gzipped), and hono/jsx's components
 * only through the JSX runtime (the `hono/jsx` index brings hono's DOM renderer and hooks, about 6 KB).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const src = join(root, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

/** Every module specifier a file names: static imports and re-exports, dynamic import(), require(). */
function specifiers(code: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of code.matchAll(pattern)) if (match[1]) found.push(match[1]);
  return found;
}

const NODE_BUILTINS = new Set(builtinModules.filter((name) => !name.startsWith('_')));
const NODE_SIDE = ['tools', 'scripts', 'bench', 'demo'].map((dir) => join(root, dir));

function offending(file: string, specifier: string): string | undefined {
  if (specifier.startsWith('node:')) return 'a Node built-in';
  if (NODE_BUILTINS.has(specifier.split('/')[0] ?? '')) return 'a Node built-in';
  if (specifier === 'zod' || (specifier.startsWith('zod/') && !file.endsWith(join('src', 'policy', 'zod.ts'))))
    return "zod outside src/policy/zod.ts (import * as z from '…/policy/zod')";
  if (specifier === 'hono/jsx' || specifier.startsWith('hono/jsx/dom')) return "hono/jsx's index (write JSX instead)";
  if (specifier.startsWith('.')) {
    const target = join(file, '..', specifier);
    if (NODE_SIDE.some((dir) => target === dir || target.startsWith(`${dir}/`))) return 'Node-side code';
  }
  return undefined;
}

describe('the worker bundle (src/)', () => {
  it('finds specifiers in every import form', () => {
    const code = `import a from 'node:fs';\nimport { b } from "x";\nexport * from './y';\nimport 'side';\nconst c = await import('node:path'); require('child_process');`;
    expect(specifiers(code).sort()).toEqual(['./y', 'child_process', 'node:fs', 'node:path', 'side', 'x']);
  });

  it('names what it refuses', () => {
    expect(offending(join(src, 'log', 'x.ts'), 'zod')).toMatch(/policy\/zod/);
    expect(offending(join(src, 'log', 'x.ts'), 'zod/mini')).toMatch(/policy\/zod/);
    expect(offending(join(src, 'policy', 'zod.ts'), 'zod/mini')).toBeUndefined();
    expect(offending(join(src, 'pages', 'x.tsx'), 'hono/jsx')).toMatch(/JSX/);
    expect(offending(join(src, 'pages', 'x.tsx'), 'hono/jsx/jsx-runtime')).toBeUndefined();
  });

  it('imports no Node built-in, no Node-side folder and no heavy library entry point', () => {
    const files = sourceFiles(src);
    expect(files.length).toBeGreaterThan(20);
    const problems = files.flatMap((file) =>
      specifiers(readFileSync(file, 'utf8')).flatMap((specifier) => {
        const why = offending(file, specifier);
        return why ? [`${relative(root, file)} imports ${specifier} (${why})`] : [];
      }),
    );
    expect(problems).toEqual([]);
  });
});
