/**
 * The semantic rules zod's shape checks cannot express: one required category, no overlapping
 * cookie patterns, every locale complete, limits from the regulators. Pure: plain data in, a list
 * of problems (JSON path and reason) out.
 */
import type { Policy } from './schema';

export interface PolicyProblem {
  /** JSON path of the field at fault, e.g. `categories[2].cookies[0].name`. */
  path: string;
  message: string;
}

/** 13 months, the longest consent lifetime regulators accept (CNIL, EDPB). */
export const MAX_LIFETIME_DAYS = 395;

const stripStar = (pattern: string) => (pattern.endsWith('*') ? pattern.slice(0, -1) : pattern);

/** Two cookie patterns overlap when one can match a name the other also matches (docs/configuration.md). */
export function patternsOverlap(a: string, b: string): boolean {
  const aPrefix = a.endsWith('*');
  const bPrefix = b.endsWith('*');
  const aBody = stripStar(a);
  const bBody = stripStar(b);
  if (!aPrefix && !bPrefix) return aBody === bBody;
  if (aPrefix && bPrefix) return aBody.startsWith(bBody) || bBody.startsWith(aBody);
  return aPrefix ? bBody.startsWith(aBody) : aBody.startsWith(bBody);
}

/** A source pattern's host part (`https://*.a.com`, or '' for a `/path`) and path part. */
function splitSource(pattern: string): { host: string; path: string } {
  const match = /^(https?:\/\/[^/]+)(\/.*)$/i.exec(pattern);
  return match ? { host: (match[1] ?? '').toLowerCase(), path: match[2] ?? '' } : { host: '', path: pattern };
}

/** Whether two hosts (`https://a.com`, `https://*.a.com`) can be the same URL's host. */
function hostsOverlap(a: string, b: string): boolean {
  if (a === b) return true;
  const [schemeA, nameA = ''] = a.split('://');
  const [schemeB, nameB = ''] = b.split('://');
  if (schemeA !== schemeB) return false;
  const wild = (name: string) => name.startsWith('*.');
  const domain = (name: string) => name.slice(1); // `*.a.com` → `.a.com`
  if (wild(nameA) && wild(nameB)) return domain(nameA).endsWith(domain(nameB)) || domain(nameB).endsWith(domain(nameA));
  if (wild(nameA)) return nameB.endsWith(domain(nameA));
  if (wild(nameB)) return nameA.endsWith(domain(nameB));
  return false;
}

/**
 * Two source patterns overlap when one URL can match both: hosts that can be the same (a `*.`
 * host covers its subdomains) and paths of which one is a prefix of the other.
 * @example
 * sourcesOverlap('https://*.google-analytics.com/*', 'https://region1.google-analytics.com/g/*') // true
 */
export function sourcesOverlap(a: string, b: string): boolean {
  const sa = splitSource(a);
  const sb = splitSource(b);
  if (!sa.host || !sb.host) return !sa.host && !sb.host && patternsOverlap(sa.path, sb.path);
  return hostsOverlap(sa.host, sb.host) && patternsOverlap(sa.path, sb.path);
}

/**
 * Checks the rules of docs/configuration.md on an already shape-valid policy.
 * @example
 * checkPolicyRules(policy) // => [] when the policy is sound
 */
export function checkPolicyRules(policy: Policy): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });

  const required = policy.categories.filter((c) => c.required);
  if (required.length !== 1) {
    add('categories', `exactly one category must be "required": true (found ${required.length})`);
  }
  policy.categories.forEach((category, i) => {
    if (category.required && category.id !== 'essential') {
      add(`categories[${i}].required`, `only "essential" may be required, not "${category.id}"`);
    }
    if (category.id === 'essential' && !category.required) {
      add(`categories[${i}].required`, '"essential" must be required: true');
    }
  });

  const seenIds = new Map<string, number>();
  policy.categories.forEach((category, i) => {
    const first = seenIds.get(category.id);
    if (first !== undefined) add(`categories[${i}].id`, `duplicate category id "${category.id}" (also categories[${first}])`);
    else seenIds.set(category.id, i);
  });

  const patterns = policy.categories.flatMap((category, i) =>
    category.cookies.map((cookie, j) => ({ name: cookie.name, category: category.id, path: `categories[${i}].cookies[${j}].name` })),
  );
  for (let a = 0; a < patterns.length; a++) {
    for (let b = a + 1; b < patterns.length; b++) {
      const pa = patterns[a];
      const pb = patterns[b];
      if (!pa || !pb || !patternsOverlap(pa.name, pb.name)) continue;
      const where = pa.category === pb.category ? 'in the same category' : `"${pa.category}" and "${pb.category}"`;
      add(pb.path, `"${pb.name}" overlaps "${pa.name}" (${pa.path}): ${where}`);
    }
  }

  // Sources are looked up by host, then by the longest path prefix: a `*` must come after the
  // host, which it cannot stand for part of (a leading `*.` stands for every subdomain).
  policy.categories.forEach((category, i) => {
    for (const kind of ['scripts', 'iframes', 'requests'] as const) {
      category[kind].forEach((pattern, j) => {
        const host = /^https?:\/\/([^/]*)/i.exec(pattern)?.[1];
        if (host?.replace(/^\*\./, '').includes('*')) {
          add(
            `categories[${i}].${kind}[${j}]`,
            `"${pattern}": a * cannot stand for part of the host; write "${pattern.replace(/\*$/, '')}/*"`,
          );
        }
      });
    }
  });

  // A URL two categories claim would be held or released by whichever lookup answers first.
  const sources = policy.categories.flatMap((category, i) =>
    (['scripts', 'iframes', 'requests'] as const).flatMap((kind) =>
      category[kind].map((pattern, j) => ({ pattern, category: category.id, path: `categories[${i}].${kind}[${j}]` })),
    ),
  );
  for (let a = 0; a < sources.length; a++) {
    for (let b = a + 1; b < sources.length; b++) {
      const sa = sources[a];
      const sb = sources[b];
      if (!sa || !sb || sa.category === sb.category || !sourcesOverlap(sa.pattern, sb.pattern)) continue;
      add(sb.path, `"${sb.pattern}" overlaps "${sa.pattern}" (${sa.path}): "${sa.category}" and "${sb.category}"`);
    }
  }

  // The classifier strips these prefixes before matching, so a declared one could never match.
  patterns.forEach(({ name, path }) => {
    if (/^__(secure|host)-/i.test(name))
      add(path, `declare "${name.replace(/^__(secure|host)-/i, '')}": the __Secure-/__Host- prefix is implied`);
  });
  // The worker's own cookie must be listed (and never stripped) like any strictly necessary one.
  const consentName = policy.consentCookie.name;
  const consentDeclared = policy.categories.some((c) => c.required && c.cookies.some((k) => k.name === consentName));
  if (!consentDeclared && required.length === 1) {
    add('consentCookie.name', `"${consentName}" must be declared as a cookie of the required category`);
  }

  // A language switcher remembers the choice in this cookie, so it is listed like the others.
  const languageName = policy.languageCookie.name;
  const languageDeclared = policy.categories.some((c) => c.required && c.cookies.some((k) => k.name === languageName));
  if (Object.keys(policy.locales).length > 1 && !languageDeclared && required.length === 1) {
    add('languageCookie.name', `"${languageName}" must be declared as a cookie of the required category (the language switcher sets it)`);
  }
  if (languageName === consentName) add('languageCookie.name', `"${languageName}" is also the consent cookie's name`);

  const { prefix, policyPage, bypass } = policy.paths;
  if (policyPage === prefix || policyPage.startsWith(`${prefix}/`)) {
    add('paths.policyPage', `"${policyPage}" is inside the reserved prefix "${prefix}"`);
  }
  if (policyPage === '/' || policyPage.startsWith('/.well-known/')) {
    add('paths.policyPage', `"${policyPage}" would take over ${policyPage === '/' ? "the site's home page" : 'a /.well-known/ path'}`);
  }
  bypass.forEach((path, i) => {
    if (stripStar(path) === policyPage || stripStar(path).startsWith(prefix)) {
      add(`paths.bypass[${i}]`, `"${path}" would bypass the worker's own pages`);
    }
  });

  // An endpoint is answered by the worker for whichever category claims it first, and the
  // worker's own paths never reach the origin.
  const endpoints = policy.categories.flatMap((category, i) =>
    category.endpoints.map((pattern, j) => ({ pattern, category: category.id, path: `categories[${i}].endpoints[${j}]` })),
  );
  endpoints.forEach((e, a) => {
    if (
      stripStar(e.pattern) === policyPage ||
      stripStar(e.pattern).startsWith(prefix) ||
      (e.pattern.endsWith('*') && prefix.startsWith(stripStar(e.pattern)))
    ) {
      add(e.path, `"${e.pattern}" covers the worker's own paths (${prefix}, ${policyPage}), which never reach the origin`);
    }
    if (policy.categories.find((c) => c.id === e.category)?.required) {
      add(e.path, `"${e.pattern}": the required category is always allowed, so its endpoints would never be answered`);
    }
    for (const other of endpoints.slice(0, a)) {
      if (other.category !== e.category && sourcesOverlap(other.pattern, e.pattern)) {
        add(e.path, `"${e.pattern}" overlaps "${other.pattern}" (${other.path}): "${other.category}" and "${e.category}"`);
      }
    }
  });

  if (policy.consentCookie.lifetimeDays > MAX_LIFETIME_DAYS) {
    add('consentCookie.lifetimeDays', `${policy.consentCookie.lifetimeDays} days is over 13 months (${MAX_LIFETIME_DAYS} days)`);
  }

  const locales = Object.keys(policy.locales);
  if (!policy.locales[policy.defaultLocale]) add('defaultLocale', `"${policy.defaultLocale}" has no entry in locales`);
  if (!policy.locales[policy.content.locale]) add('content.locale', `"${policy.content.locale}" has no entry in locales`);
  policy.categories.forEach((category, i) => {
    for (const field of ['title', 'description'] as const) {
      for (const locale of locales) {
        if (!category[field][locale]) add(`categories[${i}].${field}.${locale}`, `missing translation for locale "${locale}"`);
      }
      for (const locale of Object.keys(category[field])) {
        if (!policy.locales[locale]) add(`categories[${i}].${field}.${locale}`, `locale "${locale}" is not declared in locales`);
      }
    }
  });

  policy.categories.forEach((category, i) => {
    category.cookies.forEach((cookie, j) => {
      for (const field of ['purpose', 'duration'] as const) {
        const value = cookie[field];
        if (typeof value === 'string') continue;
        for (const locale of Object.keys(value)) {
          if (!policy.locales[locale])
            add(`categories[${i}].cookies[${j}].${field}.${locale}`, `locale "${locale}" is not declared in locales`);
        }
        if (policy.locales[policy.defaultLocale] && !value[policy.defaultLocale])
          add(`categories[${i}].cookies[${j}].${field}`, `needs a text for the default locale "${policy.defaultLocale}"`);
      }
    });
  });

  const optional = new Set(policy.categories.filter((c) => !c.required).map((c) => c.id));
  const known = new Set(policy.categories.map((c) => c.id));
  policy.gpc.refuses.forEach((id, i) => {
    if (!optional.has(id)) add(`gpc.refuses[${i}]`, `"${id}" is not an optional category of this policy`);
  });
  for (const [signal, id] of Object.entries(policy.consentMode.signals)) {
    if (id !== 'denied' && !known.has(id)) add(`consentMode.signals.${signal}`, `"${id}" is not a category of this policy`);
  }
  policy.content.sections.forEach((section, i) => {
    const blocks = [
      ...section.blocks.map((b, j) => ({ b, path: `content.sections[${i}].blocks[${j}]` })),
      ...section.subsections.flatMap((s, k) =>
        s.blocks.map((b, j) => ({ b, path: `content.sections[${i}].subsections[${k}].blocks[${j}]` })),
      ),
    ];
    for (const { b, path } of blocks) {
      if ('cookieTable' in b && !known.has(b.cookieTable))
        add(`${path}.cookieTable`, `"${b.cookieTable}" is not a category of this policy`);
    }
  });
  return problems;
}

/**
 * Cookie texts a locale has no translation for: not an error (the visitor is shown the default
 * locale's text, marked with its language), but named so a translator can fill them in.
 * @example
 * translationGaps(policy) // [{ path: 'categories[1].cookies[0].purpose.hi', message: 'no "hi" translation: shown in "en"' }]
 */
export function translationGaps(policy: Policy): PolicyProblem[] {
  const gaps: PolicyProblem[] = [];
  const others = Object.keys(policy.locales).filter((locale) => locale !== policy.defaultLocale);
  policy.categories.forEach((category, i) => {
    category.cookies.forEach((cookie, j) => {
      for (const field of ['purpose', 'duration'] as const) {
        const value = cookie[field];
        for (const locale of others) {
          if (typeof value !== 'string' && value[locale]) continue;
          const path = `categories[${i}].cookies[${j}].${field}${typeof value === 'string' ? '' : `.${locale}`}`;
          gaps.push({ path, message: `no "${locale}" translation: shown in "${policy.defaultLocale}"` });
        }
      }
    });
  });
  return gaps;
}
