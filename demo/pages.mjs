// HTML templates for the demo origin (see origin.mjs). Plain server-rendered pages,
// structured like the Next.js app they stand in for (#__next root, __NEXT_DATA__).

export const esc = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

// GA4 as the Service loads it: the real tag (unreachable offline), the inline
// gtag() bootstrap, and a local stand-in that writes the _ga cookies.
const GA_HEAD = `
    <script async src="https://www.googletagmanager.com/gtag/js?id=G-DEMO123"></script>
    <script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('js',new Date());gtag('config','G-DEMO123');</script>
    <script src="/static/gtag-standin.js" data-consent-category="analytics"></script>`;

// A tag inserted by page script after load, as next/script (strategy="lazyOnload") does.
const LATE_TAG = `
    <script>window.addEventListener('load',function(){const s=document.createElement('script');s.src='/static/late-tag.js';s.dataset.consentCategory='analytics';document.body.appendChild(s);});</script>`;

const NAV = [
  ['/', 'Dashboard'],
  ['/reports', 'Reports'],
  ['/settings', 'Settings'],
];

/**
 * Full application page.
 * @param {{ title: string, path: string, main: string, signedIn?: boolean,
 *   collapsed?: boolean, head?: string, scripts?: string, analytics?: boolean }} o
 */
export function appPage(o) {
  const { title, path, main, signedIn = false, collapsed = false, head = '', scripts = '', analytics = true } = o;
  const nav = NAV.map(([href, label]) => `<a href="${href}"${href === path ? ' aria-current="page"' : ''}>${label}</a>`).join(
    '\n          ',
  );
  const account = signedIn
    ? `<span class="signed-in">Signed in</span>
          <form method="post" action="/api/auth/signout"><button type="submit">Sign out</button></form>`
    : `<a class="button" href="/api/auth/signin">Sign in</a>`;
  const nextData = JSON.stringify({ props: { pageProps: { signedIn } }, page: path, query: {}, buildId: 'demo' });
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${esc(title)} · TrackNCloak</title>
    <link rel="stylesheet" href="/static/styles.css">${analytics ? GA_HEAD : ''}${head}
  </head>
  <body${collapsed ? ' class="sidebar-collapsed"' : ''}>
    <div id="__next">
      <header class="site-header">
        <a class="brand" href="/">TrackNCloak</a>
        <nav class="top-nav">
          ${nav}
        </nav>
        <div class="account">
          ${account}
        </div>
      </header>
      <div class="layout">
        <aside class="sidebar" id="sidebar">
          <button type="button" id="toggle-sidebar" aria-controls="sidebar">Toggle sidebar</button>
          <nav class="side-nav">
            ${nav}
          </nav>
        </aside>
        <main class="main" id="main">
${main}
        </main>
      </div>
      <footer class="site-footer">
        <span>© 2026 TrackNCloak · Privacy-first spend tracking</span>
        <a href="#cookie-settings">Cookie settings</a>
        <a href="/cookie-policy">Cookie policy</a>
      </footer>
    </div>
    <script id="__NEXT_DATA__" type="application/json">${nextData.replace(/</g, '\\u003c')}</script>
    <script src="/static/app.js" defer></script>${scripts}${analytics ? LATE_TAG : ''}
  </body>
</html>
`;
}

export function dashboardMain() {
  return `          <h1>Dashboard</h1>
          <section class="cards">
            <div class="card"><h2>This month</h2><p class="big">₹12,480</p><p>Tracked spend across 3 accounts</p></div>
            <div class="card"><h2>Plan</h2><p class="big">Pro</p><p>₹499 / month</p></div>
            <div class="card"><h2>Trackers blocked</h2><p class="big">1,204</p><p>Last 30 days</p></div>
          </section>
          <section>
            <h2>Product tour</h2>
            <iframe src="https://www.youtube-nocookie.com/embed/tnc-tour" title="TrackNCloak product tour" width="560" height="315" allowfullscreen></iframe>
          </section>
          <section>
            <h2>Recent activity</h2>
            <ul class="activity">
              <li>Invoice #1042 paid — ₹499</li>
              <li>Report “Q1 spend” exported</li>
              <li>New device signed in (Chrome on Linux)</li>
            </ul>
          </section>`;
}

const REPORTS = [
  ['Q1 spend', 'monthly', 'paid', '₹8,120'],
  ['Cloud invoices', 'weekly', 'pending', '₹2,300'],
  ['Team subscriptions', 'monthly', 'paid', '₹1,497'],
  ['Ad-hoc purchases', 'daily', 'overdue', '₹563'],
];

/** @param {{ period?: string, status?: string }} filters */
export function reportsMain(filters = {}) {
  const opt = (name, value, label) => `<option value="${value}"${filters[name] === value ? ' selected' : ''}>${label}</option>`;
  const rows = REPORTS.filter(
    ([, p, s]) =>
      (!filters.period || filters.period === 'all' || filters.period === p) &&
      (!filters.status || filters.status === 'all' || filters.status === s),
  )
    .map(([n, p, s, a]) => `<tr><td>${n}</td><td>${p}</td><td>${s}</td><td class="num">${a}</td></tr>`)
    .join('\n              ');
  return `          <h1>Reports</h1>
          <form id="report-filters" class="filters" method="get" action="/reports">
            <label>Period
              <select name="period">${opt('period', 'all', 'All')}${opt('period', 'daily', 'Daily')}${opt('period', 'weekly', 'Weekly')}${opt('period', 'monthly', 'Monthly')}</select>
            </label>
            <label>Status
              <select name="status">${opt('status', 'all', 'All')}${opt('status', 'paid', 'Paid')}${opt('status', 'pending', 'Pending')}${opt('status', 'overdue', 'Overdue')}</select>
            </label>
            <button type="submit">Apply filters</button>
            <output id="filters-status"></output>
          </form>
          <table class="reports">
            <thead><tr><th>Report</th><th>Period</th><th>Status</th><th class="num">Amount</th></tr></thead>
            <tbody>
              ${rows || '<tr><td colspan="4">No reports match these filters.</td></tr>'}
            </tbody>
          </table>`;
}

export function settingsMain() {
  return `          <h1>Settings</h1>
          <section class="card">
            <h2>Profile</h2>
            <p>Display currency: Indian rupee (₹)</p>
          </section>
          <section class="card" id="billing">
            <h2>Billing</h2>
            <p>Pro plan — ₹499 / month, billed via Razorpay.</p>
            <button type="button" id="pay-button">Pay ₹499</button>
            <p id="pay-status" role="status"></p>
            <script src="https://checkout.razorpay.com/v1/checkout.js" data-consent-placeholder></script>
          </section>`;
}

/** The checkout's local stand-in (the real checkout.js cannot load offline), held with it. */
export const RAZORPAY_SCRIPTS = `
    <script src="/static/razorpay-standin.js" data-consent-category="third-party"></script>`;

/** Bare page (not the app shell) used by auth and diagnostic routes. */
export function simplePage(title, body, head = '') {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>${esc(title)}</title>
    <link rel="stylesheet" href="/static/styles.css">${head}
  </head>
  <body>
    <main class="main">
${body}
    </main>
    <footer class="site-footer"><a href="#cookie-settings">Cookie settings</a> <a href="/cookie-policy">Cookie policy</a></footer>
  </body>
</html>
`;
}

export function signinPage(csrfToken) {
  return simplePage(
    'Sign in · TrackNCloak',
    `      <h1>Sign in to TrackNCloak</h1>
      <form method="post" action="/api/auth/signin" class="card signin">
        <input type="hidden" name="csrfToken" value="${esc(csrfToken)}">
        <label>Email <input type="email" name="email" value="demo@trackncloak.com" required></label>
        <label>Password <input type="password" name="password" value="demo" required></label>
        <button type="submit">Sign in</button>
      </form>`,
  );
}

export function signoutPage() {
  return simplePage(
    'Sign out · TrackNCloak',
    `      <h1>Sign out</h1>
      <form method="post" action="/api/auth/signout"><button type="submit">Sign out</button></form>`,
  );
}

export function notFoundPage(path) {
  return simplePage(
    '404 · TrackNCloak',
    `      <h1>404 — Page not found</h1>\n      <p>No page at <code>${esc(path)}</code>.</p>\n      <p><a href="/">Back to the dashboard</a></p>`,
  );
}

/** A deterministic stand-in for a build hash, `n` hex digits. */
const hex = (seed, n = 16) => {
  let h = 2166136261 ^ seed;
  let out = '';
  while (out.length < n) {
    h = Math.imul(h ^ (h >>> 13), 16777619) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, n);
};

/** One row of React Server Components payload, as Next.js writes it into a `__next_f` push (JS string, `<` escaped). */
const rscRow = (i) =>
  `${(i + 16).toString(16)}:[\\"$\\",\\"div\\",null,{\\"className\\":\\"card_${hex(i, 6)}\\",\\"children\\":[[\\"$\\",\\"h2\\",null,{\\"children\\":\\"Report ${i}\\"}],[\\"$\\",\\"p\\",null,{\\"children\\":\\"Tracked spend for period ${i} \\\\u003cbr\\\\u003e across accounts\\"}]]}]\\n`;

/**
 * Deterministic HTML of about `size` bytes shaped like a page of the Service as Next.js (App
 * Router) serves it: stylesheet and resource hints (`preload`, `modulepreload`, `preconnect`),
 * chunk scripts (`<script src="/_next/static/chunks/…" async>`), a Google tag (gtag.js and its
 * inline snippet), a YouTube embed, server-rendered markup, and the React Server Components
 * payload as inline `self.__next_f.push([…])` scripts: about 30 of them from 100 KB up, each a
 * realistic share of the page, fewer on a small page so it stays its size (4 at 2 KB). The
 * payload takes about 40% of the page, the markup the rest. The benchmark's pages, so they cost the
 * gating what a real page costs.
 */
export function sizedHtml(size) {
  const chunk = (name, i) => `/_next/static/chunks/${name}-${hex(i)}.js`;
  const head =
    '<!DOCTYPE html><html lang="en"><head><meta charSet="utf-8"/>' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"/>' +
    `<link rel="stylesheet" href="/_next/static/css/${hex(1)}.css" data-precedence="next"/>` +
    `<link rel="preload" as="script" fetchPriority="low" href="${chunk('webpack', 2)}"/>` +
    `<link rel="modulepreload" href="${chunk('app/layout', 3)}"/>` +
    '<link rel="preconnect" href="https://www.googletagmanager.com"/>' +
    '<link rel="preload" href="https://www.googletagmanager.com/gtag/js?id=G-DEMO123" as="script"/>' +
    `<script src="${chunk('4bd1b696', 4)}" async=""></script>` +
    `<script src="${chunk('main-app', 5)}" async=""></script>` +
    `<script src="${chunk('app/page', 6)}" async=""></script>` +
    '<title>TrackNCloak</title><meta name="description" content="Privacy-first spend tracking"/>' +
    `<script src="${chunk('polyfills', 7)}" noModule=""></script>` +
    '<script async src="https://www.googletagmanager.com/gtag/js?id=G-DEMO123"></script>' +
    "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('js',new Date());gtag('config','G-DEMO123')</script>" +
    '</head><body class="__className_d65c78"><div hidden=""><!--$--><!--/$--></div><main class="main">' +
    '<h1>TrackNCloak</h1><iframe src="https://www.youtube-nocookie.com/embed/demo" title="Product tour" width="560" height="315"></iframe>\n';
  const bootstrap = `<script src="${chunk('webpack', 2)}" async=""></script><script>(self.__next_f=self.__next_f||[]).push([0])</script>`;
  const end = '</body></html>';
  const fixed = head.length + '</main>'.length + bootstrap.length + end.length;
  const budget = Math.max(0, size - fixed);
  // About 40% of the rest is the RSC payload, spread over the pushes (a small page has fewer,
  // and mostly payload); the markup fills the rest.
  const pushes = Math.min(30, Math.max(2, Math.floor(budget / 100)));
  const perPush = Math.max(0, Math.floor((budget * (pushes === 30 ? 0.4 : 0.7)) / pushes) - 40);
  let markup = '';
  for (let i = 0; markup.length < budget * 0.6; i++) {
    markup += `<div class="card_${hex(i, 6)}"><h2>Report ${i}</h2><p>Tracked spend for period ${i}<br/> across accounts</p></div>\n`;
  }
  let scripts = '';
  for (let i = 0; i < pushes; i++) {
    let payload = '';
    for (let r = i * 1000; payload.length < perPush; r++) payload += rscRow(r);
    scripts += `<script>self.__next_f.push([1,"${payload.slice(0, perPush).replace(/\\+$/, '')}"])</script>`;
  }
  let out = `${head + markup}</main>${bootstrap}${scripts}`;
  // Trim or pad the markup to the size (filler before the scripts, never inside a tag).
  const over = out.length + end.length - size;
  if (over > 0 && markup.length > over) {
    const cut = markup.lastIndexOf('\n', markup.length - over);
    markup = markup.slice(0, cut + 1);
    out = `${head + markup}</main>${bootstrap}${scripts}`;
  }
  const gap = size - out.length - end.length;
  const pad = gap >= 8 ? `<!--${'x'.repeat(gap - 7)}-->` : gap > 0 ? ' '.repeat(gap) : '';
  return `${head + markup + pad}</main>${bootstrap}${scripts}${end}`;
}
