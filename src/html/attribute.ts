/**
 * Attribute values as the browser reads them. HTMLRewriter's `getAttribute` gives a value as
 * written, character references and all, while the browser decodes them: a `src` of
 * `https&#x3a;&#x2f;&#x2f;tracker.example/t.js` loads that host. The classifiers see the decoded
 * value, as banner.js (which reads the DOM) does.
 */

/** The named references a URL is spelled with; any other name is left as written. */
const NAMED: Record<string, string> = {
  amp: '&',
  colon: ':',
  sol: '/',
  period: '.',
  quest: '?',
  equals: '=',
  num: '#',
  percnt: '%',
  lpar: '(',
  rpar: ')',
  commat: '@',
  lowbar: '_',
  hyphen: '-',
  dash: '-',
  tilde: '~',
  plus: '+',
  semi: ';',
  comma: ',',
  quot: '"',
  apos: "'",
  lt: '<',
  gt: '>',
  nbsp: '\u00a0',
  Tab: '\t',
  NewLine: '\n',
  // A backslash is a slash in an http(s) URL.
  bsol: '\\',
  excl: '!',
  dollar: '$',
  ast: '*',
  midast: '*',
  lsqb: '[',
  lbrack: '[',
  rsqb: ']',
  rbrack: ']',
  lcub: '{',
  lbrace: '{',
  rcub: '}',
  rbrace: '}',
  verbar: '|',
  vert: '|',
  Hat: '^',
  grave: '`',
};

// Any number of digits, as the tokenizer reads them (`&#x000003a;` is a colon).
const REFERENCE = /&(?:#[xX]([0-9a-fA-F]+);?|#([0-9]+);?|([A-Za-z][A-Za-z0-9]{1,31});?)/g;

/**
 * Decodes the character references of an attribute value (numeric ones, and the named ones a URL
 * uses). Values without `&` come back as they are, at no cost.
 * @example
 * decodeAttribute('https&#x3a;//a.com/?a=1&amp;b=2') // 'https://a.com/?a=1&b=2'
 */
export function decodeAttribute(value: string | null): string | null {
  if (value === null || !value.includes('&')) return value;
  return value.replace(REFERENCE, (whole, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (hex !== undefined || dec !== undefined) {
      const code = Number.parseInt(hex ?? dec ?? '', hex !== undefined ? 16 : 10);
      // NUL, surrogates and beyond Unicode decode to U+FFFD, as the HTML parser does.
      return code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? '\ufffd' : String.fromCodePoint(code);
    }
    const named = name !== undefined && whole.endsWith(';') ? NAMED[name] : undefined;
    return named ?? whole;
  });
}
