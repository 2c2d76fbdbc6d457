/**
 * `GET <prefix>/banner.js` and `<prefix>/banner.css` (SPEC §4): the built client from
 * assets.gen.ts, immutable for a year at the current versioned URL, briefly cached otherwise.
 * The policy's theme (`--ce-*` variables) is appended to the CSS, so it needs no inline style.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../env';
import type { CompiledPolicy } from '../policy/compile';
import { BANNER_CSS, BANNER_JS, BANNER_VERSION } from './assets.gen';
import { fnv1a } from '../policy/fnv';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const SHORT = 'public, max-age=300';

/** A CSS value from the policy, unable to leave its declaration. */
const cssValue = (value: string) => value.replace(/[;{}<>\\\n\r]/g, '');

const themes = new WeakMap<CompiledPolicy, { css: string; version: string }>();

function themed(policy: CompiledPolicy) {
  let out = themes.get(policy);
  if (!out) {
    const entries = Object.entries(policy.policy.theme);
    const theme = entries.length ? `:root{${entries.map(([k, v]) => `${k}:${cssValue(v)}`).join(';')}}` : '';
    out = { css: BANNER_CSS + theme, version: theme ? `${BANNER_VERSION}-${fnv1a(theme)}` : BANNER_VERSION };
    themes.set(policy, out);
  }
  return out;
}

/**
 * The `?v=` of both asset URLs: the build hash, plus the theme's when the policy sets one.
 * @example `${prefix}/banner.js?v=${assetVersion(policy)}`
 */
export function assetVersion(policy: CompiledPolicy): string {
  return themed(policy).version;
}

/**
 * Routes for the two assets, mounted under the prefix by the app.
 * @example app.route(policy.policy.paths.prefix, bannerAssetRoutes())
 */
export function bannerAssetRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const serve = (kind: 'js' | 'css') =>
    app.get(`/banner.${kind}`, (c) => {
      const { css, version } = themed(c.get('policy'));
      const etag = `"${kind}-${version}"`;
      const headers = {
        'Content-Type': kind === 'js' ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8',
        'Cache-Control': c.req.query('v') === version ? IMMUTABLE : SHORT,
        ETag: etag,
        'X-Content-Type-Options': 'nosniff',
      };
      const inm = c.req.header('If-None-Match');
      if (inm?.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return c.body(null, 304, headers);
      return c.body(kind === 'js' ? BANNER_JS : css, 200, headers);
    });
  serve('js');
  serve('css');
  return app;
}
