/**
 * A small inline policy for the cookie rules' tests: every category, prefixed and chunked
 * next-auth names, a Domain-scoped `_ga`, a prefix pattern and a cookie on another domain.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type CompiledPolicy, compilePolicy } from '../../../src/policy/compile';
import { parsePolicy } from '../../../src/policy/index';
import { type PolicyInput, UiTexts } from '../../../src/policy/schema';
import * as z from '../../../src/policy/zod';

/** Every interface string filled in, walked from the schema so new text keys need no edit here. */
function fill(schema: z.ZodMiniType, label: string): unknown {
  if (schema instanceof z.ZodMiniObject) {
    return Object.fromEntries(Object.entries(schema.shape as Record<string, z.ZodMiniType>).map(([k, v]) => [k, fill(v, label)]));
  }
  return schema instanceof z.ZodMiniString ? label : undefined;
}
const texts = (label: string) => fill(UiTexts, label) as PolicyInput['locales'][string];

const en = (text: string) => ({ en: text });

export function testPolicyInput(undeclared: 'block' | 'allow' = 'block'): PolicyInput {
  return {
    revision: 1,
    effectiveDate: '2026-03-30',
    undeclared,
    defaultLocale: 'en',
    locales: { en: texts('x') },
    content: {
      locale: 'en',
      title: 'Cookie Policy',
      controller: 'Test',
      contactEmail: 'help@example.com',
      sections: [{ heading: 'Cookies', blocks: [{ p: 'text' }] }],
    },
    categories: [
      {
        id: 'essential',
        required: true,
        title: en('Essential'),
        description: en('Needed'),
        cookies: [
          { name: 'next-auth.session-token', purpose: 'session', duration: '30 days', chunked: true },
          { name: 'next-auth.csrf-token', purpose: 'csrf', duration: 'session' },
          { name: 'ce_consent', purpose: 'consent', duration: '6 months' },
          { name: '__cf_bm', purpose: 'bots', duration: '30 minutes', scopes: [{ domain: '$host', path: '/' }] },
        ],
      },
      {
        id: 'functional',
        title: en('Functional'),
        description: en('Preferences'),
        cookies: [
          { name: 'sidebar-collapsed', purpose: 'sidebar', duration: '1 year' },
          { name: 'report-filters', purpose: 'filters', duration: 'session', scopes: [{ path: '/reports' }, { path: '/' }] },
        ],
      },
      {
        id: 'analytics',
        title: en('Analytics'),
        description: en('Usage'),
        cookies: [
          { name: '_ga', purpose: 'id', duration: '2 years', scopes: [{ path: '/' }, { domain: 'trackncloak.com', path: '/' }] },
          { name: '_ga_*', purpose: 'session', duration: '2 years', scopes: [{ domain: 'trackncloak.com', path: '/' }] },
          { name: 'big', purpose: 'chunked', duration: '1 day', chunked: true },
        ],
      },
      {
        id: 'third-party',
        title: en('Third party'),
        description: en('Payments'),
        cookies: [
          { name: 'rzp_device_id', purpose: 'fraud', duration: '1 year', otherDomain: 'razorpay.com' },
          { name: 'rzp_local', purpose: 'checkout', duration: 'session' },
        ],
      },
    ],
  };
}

export function compiled(input: PolicyInput = testPolicyInput()): CompiledPolicy {
  const result = parsePolicy(input);
  if (!result.ok) throw new Error(`test policy invalid: ${JSON.stringify(result.problems)}`);
  return compilePolicy(result.policy);
}

/** The repository's `policy.json`, compiled, once another engineer has written it. */
export function defaultPolicy(): CompiledPolicy | undefined {
  const path = fileURLToPath(new URL('../../../policy.json', import.meta.url));
  if (!existsSync(path)) return undefined;
  const result = parsePolicy(JSON.parse(readFileSync(path, 'utf8')));
  return result.ok ? compilePolicy(result.policy) : undefined;
}
