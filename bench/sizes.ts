/**
 * Bytes shipped: banner.js + banner.css gzipped beside the npm consent tools a site would use
 * instead (vanilla-cookieconsent, klaro), measured from their installed dist files, all at
 * gzip level 9 (the level the banner's own budget test uses).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { deployedPolicy } from '../src/policy/load';
import { ROOT } from './cluster';

export interface ShippedAssets {
  name: string;
  version: string;
  /** The files a site loads, as named in the package (or by the worker). */
  files: string[];
  bytes: number;
  gzipBytes: number;
}

const gz = (data: string | Buffer) => gzipSync(data, { level: 9 }).length;

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

function fromPackage(name: string, files: string[]): ShippedAssets {
  const bodies = files.map((f) => readFileSync(join(ROOT, 'node_modules', name, f)));
  return {
    name,
    version: packageVersion(name),
    files,
    bytes: bodies.reduce((n, b) => n + b.length, 0),
    // Served as separate files, so each is compressed on its own.
    gzipBytes: bodies.reduce((n, b) => n + gz(b), 0),
  };
}

/** banner.js (with the default policy inside, default locale) and banner.css, as the worker serves them. */
function consentEdgeBytes(): { bytes: number; gzipBytes: number } {
  const policy = deployedPolicy();
  const js = policy.assets.js(policy.policy.defaultLocale);
  const css = policy.assets.css;
  return { bytes: Buffer.byteLength(js) + Buffer.byteLength(css), gzipBytes: gz(js) + gz(css) };
}

/** Consent Edge's banner assets and the two alternatives, in report order. */
export function shippedAssets(): ShippedAssets[] {
  return [
    {
      name: 'Consent Edge',
      version: (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version,
      // As served for the default policy and locale: banner.js carries the policy's table and texts.
      // What every visitor downloads; dialog.js and dialog.css come only when a visitor first opens
      // the preferences dialog or gets the contextual prompt (banner-assets.test.ts logs them).
      files: ['banner.js', 'banner.css'],
      ...consentEdgeBytes(),
    },
    // What the project's README tells a site to load: the UMD build and its stylesheet.
    fromPackage('vanilla-cookieconsent', ['dist/cookieconsent.umd.js', 'dist/cookieconsent.css']),
    // Klaro's default build: one script with its CSS and translations inside.
    fromPackage('klaro', ['dist/klaro.js']),
  ];
}

export { packageVersion };
