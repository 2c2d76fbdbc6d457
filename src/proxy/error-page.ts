/**
 * The short answers a visitor sees when the origin or the worker fails (docs/failures.md): no internal
 * detail, and no Set-Cookie (nothing unclassified can leak on an error).
 */
const MESSAGES = {
  502: ['Bad gateway', 'The site could not be reached. Please try again in a moment.'],
  504: ['Gateway timeout', 'The site took too long to answer. Please try again in a moment.'],
} as const;

/** A small HTML error response for 502 or 504. */
export function originErrorResponse(status: 502 | 504): Response {
  const [title, text] = MESSAGES[status];
  const body = `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${status} ${title}</title><h1>${title}</h1><p>${text}</p></html>`;
  return new Response(body, {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
  });
}

/** Logs a fault of the worker with the path it happened on. */
export function logFault(error: unknown, path: string): void {
  console.error(JSON.stringify({ event: 'worker.error', path, error: String(error) }));
}

/** The answer to an unexpected fault: no internal detail, no cookies. */
export function faultResponse(): Response {
  return new Response('The request could not be completed. Please try again.', {
    status: 500,
    headers: { 'content-type': 'text/plain; charset=UTF-8', 'cache-control': 'no-store' },
  });
}
