/**
 * Benchmark comparison: what many would write instead of Consent Edge. HTML is buffered whole
 * and `</body>` string-replaced with a banner; everything else passes through.
 */
interface Env {
  ORIGIN: string;
}

/** About the size of a small banner: assets by URL, a container with three buttons. */
const BANNER =
  '<link rel="stylesheet" href="/__consent/banner.css"><script src="/__consent/banner.js"></script>' +
  '<div id="cookie-banner" role="dialog" aria-label="Cookies"><p>We use cookies to run this site and, with your ' +
  'consent, to understand how it is used.</p><form method="post" action="/__consent"><button name="action" ' +
  'value="accept-all">Accept all</button><button name="action" value="reject-all">Reject all</button>' +
  '<a href="/__consent/preferences">Customize</a></form></div>';

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const response = await fetch(new Request(`${env.ORIGIN}${url.pathname}${url.search}`, request));
    if (!(response.headers.get('content-type') ?? '').startsWith('text/html')) return response;
    const html = await response.text();
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    return new Response(html.replace('</body>', `${BANNER}</body>`), { status: response.status, headers });
  },
} satisfies ExportedHandler<Env>;
