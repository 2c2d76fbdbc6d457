/**
 * The short page a visitor sees when the origin fails (SPEC §7): no internal detail.
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
