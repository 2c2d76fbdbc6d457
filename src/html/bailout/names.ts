/**
 * Tag names as the parser model compares them: a number computed from the ASCII-lowercased
 * bytes of the name, so a tag costs no string, and the sets of names HTMLRewriter's parser
 * (lol-html) treats specially.
 */

/** ASCII upper-case letters folded to lower case (HTML tag and attribute names). */
export const lower = (b: number): number => (b >= 0x41 && b <= 0x5a ? b | 0x20 : b);

/**
 * A name's key: a 30-bit hash of its lower-cased bytes, a small integer the engine keeps unboxed,
 * so a tag costs no string and no allocation. Names of one page do not collide in practice.
 */
export const fold = (h: number, b: number): number => (Math.imul(h, 0x01000193) ^ b) & 0x3fffffff;
/** The key of a name no byte has been folded into yet. */
export const NAME_SEED = 0x11c9dc5;

/** The key of a whole name. */
export function nameKey(name: string): number {
  let h = NAME_SEED;
  for (let i = 0; i < name.length; i++) h = fold(h, lower(name.charCodeAt(i)));
  return h;
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

/** What the tree model asks of a tag, as bits of one lookup (most tags have none). */
export const F = {
  textContent: 1,
  rcdata: 2,
  rawtext: 4,
  selectExit: 8,
  breakout: 16,
  svgPoint: 32,
  mathTextPoint: 64,
  void: 128,
  special: 256,
} as const;

function flagEntries(): Map<number, number> {
  const flags = new Map<number, number>();
  const mark = (set: Set<number>, bit: number) => {
    for (const key of set) flags.set(key, (flags.get(key) ?? 0) | bit);
  };
  mark(TEXT_CONTENT, F.textContent);
  mark(RCDATA, F.rcdata);
  mark(RAWTEXT, F.rawtext);
  mark(SELECT_EXIT, F.selectExit);
  mark(BREAKOUT, F.breakout);
  mark(SVG_HTML_POINTS, F.svgPoint);
  mark(MATHML_TEXT_POINTS, F.mathTextPoint);
  mark(VOID, F.void);
  mark(new Set(Object.values(T).concat(PLAINTEXT)), F.special);
  return flags;
}

const table = (() => {
  const entries = flagEntries();
  const size = 1024;
  const keys = new Int32Array(size).fill(-1);
  const bits = new Int32Array(size);
  for (const [key, flags] of entries) {
    let slot = key & (size - 1);
    while (keys[slot] !== -1) slot = (slot + 1) & (size - 1);
    keys[slot] = key;
    bits[slot] = flags;
  }
  return { keys, bits, mask: size - 1 };
})();

/** A tag key's `F` bits (0 for most tags): an open-addressed table, cheaper than a Map per tag. */
export function flagsOf(key: number): number {
  let slot = key & table.mask;
  for (;;) {
    const k = table.keys[slot];
    if (k === key) return table.bits[slot] ?? 0;
    if (k === -1) return 0;
    slot = (slot + 1) & table.mask;
  }
}

/** The name of a text content tag, for the log line. */
export const TEXT_CONTENT_NAMES = new Map(
  'textarea title plaintext script style iframe xmp noembed noframes noscript'.split(' ').map((name) => [nameKey(name), name]),
);
