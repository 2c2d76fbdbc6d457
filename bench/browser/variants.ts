/**
 * The four pages the browser benchmark compares, all the demo's dashboard (`/`, demo/pages.mjs):
 * through Consent Edge, with vanilla-cookieconsent, with klaro, and bare. The two client-side
 * tools are set up as their own documentation says, with the same two categories (necessary and
 * analytics), and the page's Google tag scripts marked the way each tool holds a script until
 * consent.
 */
import { appPage, dashboardMain } from '../../demo/pages.mjs';

export const VARIANT_IDS = ['consent-edge', 'vanilla-cookieconsent', 'klaro', 'none'] as const;
export type VariantId = (typeof VARIANT_IDS)[number];

export interface VariantInfo {
  id: VariantId;
  name: string;
  /** npm package whose version is reported (Consent Edge: this project). */
  pkg: string | null;
  /** The tool's root element, whose first painted frame is "banner painted". */
  selector: string | null;
  /** How it is put on the page, for the method. */
  loading: string;
}

export const VARIANTS: Record<VariantId, VariantInfo> = {
  'consent-edge': {
    id: 'consent-edge',
    name: 'Consent Edge',
    pkg: null,
    selector: '#consent-edge',
    loading:
      'the demo page through the worker: the banner markup at the end of `<body>`, the consent state and `banner.js` + `banner.css` in `<head>`, the Google tag held by the worker',
  },
  'vanilla-cookieconsent': {
    id: 'vanilla-cookieconsent',
    name: 'vanilla-cookieconsent',
    pkg: 'vanilla-cookieconsent',
    selector: '#cc-main',
    loading:
      'as its getting-started guide: `cookieconsent.css` linked in `<head>`, a `<script type="module">` config file at the end of `<body>` that imports `cookieconsent.umd.js` and calls `CookieConsent.run()` (categories necessary and analytics, a consent modal and a preferences modal; `hideFromBots: false`, since its default hides the banner from an automated browser); the Google tag scripts as `type="text/plain" data-category="analytics"`',
  },
  klaro: {
    id: 'klaro',
    name: 'klaro',
    pkg: 'klaro',
    selector: '.klaro .cookie-notice',
    loading:
      'as its integration guide: a deferred config script defining `klaroConfig` (one analytics service, the default `mustConsent: false` notice), then deferred `klaro.js` (its CSS and translations inside), both in `<head>`; the Google tag scripts as `type="text/plain" data-type="text/javascript" data-name="analytics"`',
  },
  none: {
    id: 'none',
    name: 'No consent tool',
    pkg: null,
    selector: null,
    loading: 'the bare demo page, its Google tag running',
  },
};

/** The demo origin's `/` for a first-time visitor: the page every variant starts from. */
export function barePage(): string {
  return appPage({ title: 'Dashboard', path: '/', main: dashboardMain() });
}

/** The page's scripts that belong to the Google tag: the async tag, its inline snippet, the stand-in and the late loader. */
const GOOGLE_TAG = /<script\b([^>]*)>([^<]*(?:gtag|late-tag)[^<]*)?<\/script>/g;

function holdGoogleTag(html: string, rewrite: (attrs: string, body: string) => string): string {
  let held = 0;
  const out = html.replace(GOOGLE_TAG, (whole, attrs: string, body: string | undefined) => {
    const isTag = /googletagmanager|gtag-standin/.test(attrs) || Boolean(body);
    if (!isTag) return whole;
    held++;
    return rewrite(attrs, body ?? '');
  });
  if (held !== 4) throw new Error(`expected the page's 4 Google tag scripts, found ${held}`);
  return out;
}

const inHead = (html: string, markup: string) => html.replace('</head>', `${markup}\n  </head>`);
const atBodyEnd = (html: string, markup: string) => html.replace('</body>', `${markup}\n  </body>`);

/** vanilla-cookieconsent's config file (its docs' `cookieconsent-config.js`). */
export const VANILLA_CONFIG = `import '/vendor/vanilla-cookieconsent/cookieconsent.umd.js';

CookieConsent.run({
  // Its default hides the banner from automated browsers (navigator.webdriver), as this one is.
  hideFromBots: false,
  categories: {
    necessary: { enabled: true, readOnly: true },
    analytics: {},
  },
  language: {
    default: 'en',
    translations: {
      en: {
        consentModal: {
          title: 'We use cookies',
          description: 'TrackNCloak uses essential cookies to run and, with your consent, analytics cookies to improve the service.',
          acceptAllBtn: 'Accept all',
          acceptNecessaryBtn: 'Reject all',
          showPreferencesBtn: 'Manage preferences',
        },
        preferencesModal: {
          title: 'Cookie preferences',
          acceptAllBtn: 'Accept all',
          acceptNecessaryBtn: 'Reject all',
          savePreferencesBtn: 'Save preferences',
          closeIconLabel: 'Close',
          sections: [
            { title: 'Strictly necessary', description: 'Needed for the site to work.', linkedCategory: 'necessary' },
            { title: 'Analytics', description: 'Google Analytics: how the site is used.', linkedCategory: 'analytics' },
          ],
        },
      },
    },
  },
});
`;

/** klaro's config script (its docs' `config.js`), with klaro's defaults otherwise. */
export const KLARO_CONFIG = `var klaroConfig = {
  version: 1,
  elementID: 'klaro',
  storageMethod: 'cookie',
  storageName: 'klaro',
  lang: 'en',
  translations: {
    en: {
      purposes: { analytics: 'Analytics' },
      analytics: { description: 'Google Analytics: how the site is used.' },
    },
  },
  services: [
    {
      name: 'analytics',
      title: 'Google Analytics',
      purposes: ['analytics'],
      cookies: [/^_ga(_.*)?/],
    },
  ],
};
`;

/** The page for a client-side variant, served by bench/browser/server.ts. */
export function clientPage(id: Exclude<VariantId, 'consent-edge'>): string {
  const page = barePage();
  if (id === 'none') return page;
  if (id === 'vanilla-cookieconsent') {
    const held = holdGoogleTag(page, (attrs, body) => {
      const src = /\ssrc="([^"]*)"/.exec(attrs)?.[1];
      const rest = attrs.replace(/\s(src|async|type|data-consent-category)(="[^"]*")?/g, '');
      return `<script type="text/plain" data-category="analytics"${src ? ` data-src="${src}"` : ''}${rest}>${body}</script>`;
    });
    return atBodyEnd(
      inHead(held, '    <link rel="stylesheet" href="/vendor/vanilla-cookieconsent/cookieconsent.css">'),
      '    <script type="module" src="/vendor/cookieconsent-config.js"></script>',
    );
  }
  const held = holdGoogleTag(page, (attrs, body) => {
    const src = /\ssrc="([^"]*)"/.exec(attrs)?.[1];
    const rest = attrs.replace(/\s(src|async|type|data-consent-category)(="[^"]*")?/g, '');
    return `<script type="text/plain" data-type="text/javascript" data-name="analytics"${src ? ` data-src="${src}"` : ''}${rest}>${body}</script>`;
  });
  return inHead(
    held,
    '    <script defer type="text/javascript" src="/vendor/klaro-config.js"></script>\n    <script defer type="text/javascript" src="/vendor/klaro/klaro.js"></script>',
  );
}
