/**
 * What holding a page's own tags adds to it: the held form's attributes and an embed's
 * placeholder. The bench and the byte tests count it apart from what every page pays (state,
 * asset tags, banner), since it grows with the page's tags.
 */

/** A placeholder the worker put before a held element (it holds no `<div>` of its own). */
export const PLACEHOLDER_MARKUP = /<div data-consent-placeholder="[^"]*"[^>]*>[\s\S]*?<\/div>/g;

const HOLDING = new RegExp(
  ` data-consent-category="[^"]*"| data-consent-src="[^"]*"| data-consent-type="[^"]*"| type="text\\/plain"| data-consent-rel="[^"]*"|${PLACEHOLDER_MARKUP.source}`,
  'g',
);

/** The UTF-8 bytes of `html` that hold its tags. */
export function holdingBytes(html: string): number {
  return new TextEncoder().encode((html.match(HOLDING) ?? []).join('')).length;
}
