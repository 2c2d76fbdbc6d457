/**
 * Tag names as the parser model compares them: a number computed from the ASCII-lowercased
 * bytes of the name, so a tag costs no string, and the sets of names HTMLRewriter's parser
 * (lol-html) treats specially.
 */

/** ASCII upper-case letters folded to lower case (HTML tag and attribute names). */
export const lower = (b: number): number => (b >= 0x41 && b <= 0x5a ? b | 0x20 : b);

/**
 * A name's key is two independent hashes of its lower-cased bytes, 26 and 27 bits, in one safe
 * integer (`hi * 2^27 + lo`): distinct names of a page do not collide, and no string is built.
 */
export const foldHi = (hi: number, b: number): number => (hi * 31 + b) % 0x3ffffed;
export const foldLo = (lo: number, b: number): number => (lo * 131 + b + 1) % 0x7ffffd9;
export const joinKey = (hi: number, lo: number): number => hi * 0x8000000 + lo;

/** The key of a whole name. */
export function nameKey(name: string): number {
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < name.length; i++) {
    const b = lower(name.charCodeAt(i));
    hi = foldHi(hi, b);
    lo = foldLo(lo, b);
  }
  return joinKey(hi, lo);
}

const keys = (names: string) => new Set(names.split(' ').map(nameKey));

export const T = {
  select: nameKey('select'),
  template: nameKey('template'),
  frameset: nameKey('frameset'),
  noframes: nameKey('noframes'),
  script: nameKey('script'),
  svg: nameKey('svg'),
  math: nameKey('math'),
  font: nameKey('font'),
  annotationXml: nameKey('annotation-xml'),
};

/** Start tags that switch the tokenizer to RCDATA, PLAINTEXT, script data or RAWTEXT. */
export const RCDATA = keys('textarea title');
export const PLAINTEXT = nameKey('plaintext');
export const RAWTEXT = keys('style iframe xmp noembed noframes noscript');
/** Every text content tag: lol-html refuses these where it cannot tell whether they count. */
export const TEXT_CONTENT = keys('textarea title plaintext script style iframe xmp noembed noframes noscript');
/** Start tags that end "in select" early. */
export const SELECT_EXIT = keys('select textarea input keygen');
/** HTML elements that break out of SVG and MathML (HTML §13.2.6.5). */
export const BREAKOUT = keys(
  'b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i img li listing menu meta nobr ol p pre ruby s small span strong strike sub sup table tt u ul var',
);
export const SVG_HTML_POINTS = keys('desc title foreignobject');
export const MATHML_TEXT_POINTS = keys('mi mo mn ms mtext');
export const FONT_EXIT_ATTRIBUTES = keys('color face size');
export const ENCODING = nameKey('encoding');
/** Elements with no end tag: lol-html does not keep them open. */
export const VOID = keys('area base basefont bgsound br col embed hr img input keygen link meta param source track wbr');

/** The name of a text content tag, for the log line. */
export const TEXT_CONTENT_NAMES = new Map(
  'textarea title plaintext script style iframe xmp noembed noframes noscript'.split(' ').map((name) => [nameKey(name), name]),
);
