/**
 * Benchmark baseline: the bare pass-through worker, the physical limit of a Worker in front of
 * the origin. It rewrites the URL to ORIGIN and streams the response back untouched.
 */
interface Env {
  ORIGIN: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    return fetch(new Request(`${env.ORIGIN}${url.pathname}${url.search}`, request));
  },
} satisfies ExportedHandler<Env>;
