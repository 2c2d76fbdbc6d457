/**
 * URL parsing for the core. The WHATWG URL parser is a global of every runtime the core runs in
 * (workerd, browsers, Node), but of none of the plain ES libraries the core is checked against,
 * so the few members the core reads are declared here.
 */

/** The parts of a parsed URL the classifiers read. */
export interface ParsedUrl {
  readonly href: string;
  /** `https:` */
  readonly protocol: string;
  /** Host name and port, as the parser normalised them (`www.example.com`, `127.0.0.1:8787`). */
  readonly host: string;
  readonly origin: string;
  readonly pathname: string;
  readonly search: string;
  readonly hash: string;
}

declare const URL: new (input: string, base?: string) => ParsedUrl;

/**
 * `src` resolved against `base` as an element's URL would be; undefined when it does not parse.
 * Never throws.
 * @example
 * resolveUrl(' /a.js ', 'https://x.com/p/q')?.href // 'https://x.com/a.js'
 */
export function resolveUrl(src: string, base: string): ParsedUrl | undefined {
  try {
    return new URL(src.trim(), base);
  } catch {
    return undefined;
  }
}
