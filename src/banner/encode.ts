/**
 * The ASCII-only encodings of what the worker injects into a page whose charset it does not
 * control (non-ASCII as character references): `&#x…;` in HTML, `\uXXXX` in the state JSON.
 */

/**
 * Writes every non-ASCII character of HTML as a character reference, so the injected markup
 * is right whatever charset the origin's page declares.
 * @example asciiHtml('<p>₹499</p>') // '<p>&#x20b9;499</p>'
 */
export function asciiHtml(html: string): string {
  return html.replace(/[\u0080-\u{10ffff}]/gu, (c) => `&#x${(c.codePointAt(0) ?? 0).toString(16)};`);
}

/**
 * JSON that is safe inside `<script type="application/json">`: `<`, `>`, `&`, U+2028/9 and every
 * other non-ASCII character as `\uXXXX`, so the text can never close the element.
 * @example scriptJson({ a: '</script>' }) // '{"a":"\\u003c/script\\u003e"}'
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
