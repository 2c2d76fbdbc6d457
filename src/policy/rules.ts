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

/** Two cookie patterns overlap when one can match a name the other also matches (SPEC §3). */
export function patternsOverlap(a: string, b: string): boolean {
  const aPrefix = a.endsWith('*');
  const bPrefix = b.endsWith('*');
  const aBody = stripStar(a);
  const bBody = stripStar(b);
  if (!aPrefix && !bPrefix) return aBody === bBody;
  if (aPrefix && bPrefix) return aBody.startsWith(bBody) || bBody.startsWith(aBody);
  return aPrefix ? bBody.startsWith(aBody) : aBody.startsWith(bBody);
}

/**
 * Checks the rules of SPEC §3 on an already shape-valid policy.
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

  // Sources are looked up by host, then by the longest path prefix: a `*` must come after
  // the host, which it cannot stand for part of.
  policy.categories.forEach((category, i) => {
    for (const kind of ['scripts', 'iframes'] as const) {
      category[kind].forEach((pattern, j) => {
        const host = /^https?:\/\/([^/]*)/i.exec(pattern)?.[1];
        if (host?.includes('*')) {
          add(
            `categories[${i}].${kind}[${j}]`,
            `"${pattern}": a * cannot stand for part of the host; write "${pattern.replace(/\*$/, '')}/*"`,
          );
        }
      });
    }
  });

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
