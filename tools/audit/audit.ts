/**
 * Pure builders behind `npm run audit`: the drift report table and the `policy.json` entries it
 * proposes (cookies, and the script and iframe sources no category declares), with a guessed
 * category that ops confirm or change.
 */
import * as z from 'zod';
import type { CategoryId } from '../../src/policy/schema';

export const DRIFT_REPORT_SQL =
  'SELECT name, source, count, first_seen, last_seen, sample_path FROM cookie_drift ORDER BY count DESC, name, source LIMIT 2000';

export const DriftRow = z.object({
  name: z.string(),
  source: z.enum(['set-cookie', 'cookie', 'script', 'iframe']),
  count: z.number(),
  first_seen: z.string(),
  last_seen: z.string(),
  sample_path: z.string(),
});
export type DriftRow = z.infer<typeof DriftRow>;

/** Rows from wrangler's JSON, keeping only well-formed ones. */
export function parseDriftRows(rows: readonly unknown[]): DriftRow[] {
  return rows.flatMap((row) => {
    const parsed = DriftRow.safeParse(row);
    return parsed.success ? [parsed.data] : [];
  });
}

/** A fixed-width text table, for a terminal. */
export function formatDriftReport(rows: readonly DriftRow[]): string {
  if (rows.length === 0) return 'No undeclared cookies or sources have been seen.';
  const header = ['NAME', 'SOURCE', 'COUNT', 'FIRST SEEN', 'LAST SEEN', 'SAMPLE PATH'];
  const body = rows.map((r) => [r.name, r.source, String(r.count), r.first_seen, r.last_seen, r.sample_path]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => (cells[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...body.map(line)].join('\n');
}

export interface CategoryGuess {
  category: CategoryId;
  reason: string;
}

/** Well-known names first; the first match wins. A guess, never a decision. */
const GUESSES: [RegExp, CategoryGuess][] = [
  [
    /^_ga($|_)|^_gid$|^_gat|^_gcl_|^_hj|^_clck$|^_clsk$|^_pk_|^ajs_|^mp_|^amplitude|^_uet|^_fbp$|^_fbc$/i,
    { category: 'analytics', reason: 'a known analytics or measurement tag' },
  ],
  [/experiment|^ab[_-]|optimizely|^_vwo|variant/i, { category: 'analytics', reason: 'the name suggests an A/B test' }],
  [
    /^rzp|^__stripe|^_stripe|paypal|^intercom|^crisp|^__hs|hubspot|zendesk/i,
    { category: 'third-party', reason: 'a known third-party service' },
  ],
  [
    /session|csrf|xsrf|auth|^__cf|^cf_/i,
    { category: 'essential', reason: 'looks like sign-in or security; essential only if strictly necessary' },
  ],
  [
    /pref|theme|lang|locale|sidebar|filter|layout|collapsed|timezone/i,
    { category: 'functional', reason: 'looks like a remembered preference' },
  ],
];

export function guessCategory(name: string): CategoryGuess {
  for (const [pattern, guess] of GUESSES) if (pattern.test(name)) return guess;
  return { category: 'functional', reason: 'no known pattern; ops decide (undeclared cookies stay blocked until then)' };
}

/** An id-like last segment (`_ga_ABC123`, `_hjSession_4711`): such names are one cookie family. */
const FAMILY = /^(.+?[_.-])((?=[A-Za-z0-9]*\d)[A-Za-z0-9]{4,}|[A-Z0-9]{6,})$/;

/** The `policy.json` name for a seen name: `prefix*` for an id-suffixed family, else the name. */
export function patternFor(name: string): string {
  const bare = name.replace(/^__(secure|host)-/i, '');
  const family = FAMILY.exec(bare);
  return family ? `${family[1]}*` : bare;
}

export interface Proposal {
  category: CategoryId;
  reason: string;
  /** A `categories[].cookies[]` entry for policy.json. */
  entry: { name: string; purpose: string; duration: string; scopes: { path: string }[] };
  seen: { names: string[]; sources: ('set-cookie' | 'cookie')[]; count: number };
}

/**
 * Proposes one entry per cookie (or id-suffixed family) that the current policy still does not
 * declare. `isDeclared` is the compiled policy's classifier, so entries ops already added drop out.
 * @example
 * proposeEntries(rows, (name) => compiled.classifyCookie(name) !== undefined)
 */
export function proposeEntries(rows: readonly DriftRow[], isDeclared: (name: string) => boolean = () => false): Proposal[] {
  const byPattern = new Map<string, Proposal>();
  for (const row of rows) {
    if (row.source !== 'set-cookie' && row.source !== 'cookie') continue;
    if (isDeclared(row.name)) continue;
    const name = patternFor(row.name);
    let proposal = byPattern.get(name);
    if (!proposal) {
      const guess = guessCategory(name.replace(/\*$/, ''));
      proposal = {
        ...guess,
        entry: { name, purpose: 'TODO: what it is for', duration: 'TODO: e.g. "1 day" or "Session"', scopes: [{ path: '/' }] },
        seen: { names: [], sources: [], count: 0 },
      };
      byPattern.set(name, proposal);
    }
    if (!proposal.seen.names.includes(row.name)) proposal.seen.names.push(row.name);
    if (!proposal.seen.sources.includes(row.source)) proposal.seen.sources.push(row.source);
    proposal.seen.count += row.count;
  }
  return [...byPattern.values()].sort((a, b) => b.seen.count - a.seen.count);
}

/** Well-known hosts first; the first match wins. A guess, never a decision. */
const SOURCE_GUESSES: [RegExp, CategoryGuess][] = [
  [
    /(^|\.)(google-analytics\.com|googletagmanager\.com|hotjar\.com|clarity\.ms|segment\.(com|io)|mixpanel\.com|amplitude\.com|plausible\.io|matomo\.cloud)$/i,
    { category: 'analytics', reason: 'a known analytics or measurement host' },
  ],
  [
    /(^|\.)(youtube\.com|youtube-nocookie\.com|vimeo\.com|player\.vimeo\.com|twitter\.com|x\.com|facebook\.(com|net)|instagram\.com|tiktok\.com|spotify\.com)$/i,
    { category: 'third-party', reason: 'an embed of a third-party platform, which sets its own cookies' },
  ],
  [
    /(^|\.)(razorpay\.com|stripe\.com|paypal\.com|intercom\.io|crisp\.chat|hubspot\.com|zendesk\.com)$/i,
    { category: 'third-party', reason: 'a known third-party service' },
  ],
];

export function guessSourceCategory(host: string): CategoryGuess {
  for (const [pattern, guess] of SOURCE_GUESSES) if (pattern.test(host)) return guess;
  return { category: 'third-party', reason: 'no known host; ops decide (undeclared sources stay held until then)' };
}

export interface SourceProposal {
  category: CategoryId;
  reason: string;
  /** Where it goes: the category's `scripts` or `iframes`. */
  kind: 'scripts' | 'iframes';
  /** The pattern to add: the whole host. */
  pattern: string;
  seen: { urls: string[]; count: number; samplePaths: string[] };
}

/**
 * Proposes one source pattern per host and kind that the current policy still does not declare.
 * `isDeclared` is the compiled policy's source lookup, so hosts ops already added drop out.
 * @example
 * proposeSources(rows, (kind, url) => compiled.classifySource(kind, url, page) !== undefined)
 */
export function proposeSources(
  rows: readonly DriftRow[],
  isDeclared: (kind: 'script' | 'iframe', url: string) => boolean = () => false,
): SourceProposal[] {
  const byPattern = new Map<string, SourceProposal>();
  for (const row of rows) {
    if (row.source !== 'script' && row.source !== 'iframe') continue;
    if (isDeclared(row.source, row.name)) continue;
    let url: URL;
    try {
      url = new URL(row.name);
    } catch {
      continue;
    }
    const kind = row.source === 'script' ? 'scripts' : 'iframes';
    const pattern = `${url.origin}/*`;
    const key = `${kind} ${pattern}`;
    let proposal = byPattern.get(key);
    if (!proposal) {
      proposal = { ...guessSourceCategory(url.hostname), kind, pattern, seen: { urls: [], count: 0, samplePaths: [] } };
      byPattern.set(key, proposal);
    }
    if (!proposal.seen.urls.includes(row.name)) proposal.seen.urls.push(row.name);
    if (!proposal.seen.samplePaths.includes(row.sample_path)) proposal.seen.samplePaths.push(row.sample_path);
    proposal.seen.count += row.count;
  }
  return [...byPattern.values()].sort((a, b) => b.seen.count - a.seen.count);
}

/** The source proposals as text: per category and kind, the patterns to append. */
export function formatSourceProposals(proposals: readonly SourceProposal[]): string {
  if (proposals.length === 0) return 'Every cross-origin script and iframe seen is declared in policy.json: nothing to add.';
  const groups = [...new Set(proposals.map((p) => `${p.category} ${p.kind}`))];
  return groups
    .map((group) => {
      const mine = proposals.filter((p) => `${p.category} ${p.kind}` === group);
      const [category, kind] = group.split(' ');
      const notes = mine.map(
        (p) =>
          `//   ${p.pattern}: ${p.reason}; seen ${p.seen.count}× (${p.seen.urls.slice(0, 3).join(', ')}) on ${p.seen.samplePaths.slice(0, 3).join(', ')}`,
      );
      const json = JSON.stringify(mine.map((p) => p.pattern));
      return [`// categories[id="${category}"].${kind} (guessed category; ops decide):`, ...notes, json].join('\n');
    })
    .join('\n\n');
}

/** The proposals as text: per category, the JSON to append to that category's `cookies`. */
export function formatProposals(proposals: readonly Proposal[]): string {
  if (proposals.length === 0) return 'Every cookie seen is declared in policy.json: nothing to add.';
  const categories = [...new Set(proposals.map((p) => p.category))];
  return categories
    .map((category) => {
      const mine = proposals.filter((p) => p.category === category);
      const notes = mine.map((p) => {
        const onlyRequests = p.seen.sources.length === 1 && p.seen.sources[0] === 'cookie';
        const where = onlyRequests ? '; seen only in requests (set by page JavaScript or a sibling subdomain?)' : '';
        return `//   ${p.entry.name}: ${p.reason}; seen ${p.seen.count}× as ${p.seen.names.join(', ')}${where}`;
      });
      const json = `[\n${mine.map((p) => `  ${JSON.stringify(p.entry)}`).join(',\n')}\n]`;
      return [`// categories[id="${category}"].cookies (guessed category; ops decide):`, ...notes, json].join('\n');
    })
    .join('\n\n');
}
