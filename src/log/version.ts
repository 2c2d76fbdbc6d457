/**
 * A policy version as the consent log keeps it, once per fingerprint: the canonical policy JSON
 * (whose SHA-256 is the fingerprint every decision record carries, so anyone can check the texts
 * are the ones the record points at) and, per locale, what the worker rendered from it.
 */
import * as z from '../policy/zod';
import type { CompiledPolicy } from '../policy/compile';
import { sha256Hex } from '../core/sha256';
import { canonicalJson } from '../policy/digest';
import { CategoryId, LocaleTag } from '../policy/schema';
import { ShownLocale, shownTexts } from './shown';

const Fingerprint = z.string().check(z.regex(/^[0-9a-f]{64}$/, 'must be SHA-256 hex'));

/** A block of the legal text as the policy page lays it out; cookie tables come from the locale's categories. */
const LegalBlock = z.union([
  z.strictObject({ p: z.string() }),
  z.strictObject({ list: z.array(z.string()) }),
  z.strictObject({ cookieTable: CategoryId }),
  z.strictObject({ browserLinks: z.array(z.strictObject({ name: z.string(), url: z.string() })) }),
]);
export type LegalBlock = z.infer<typeof LegalBlock>;

/** The policy page's legal text, in the one language it is written in. */
export const LegalText = z.strictObject({
  locale: LocaleTag,
  title: z.string(),
  controller: z.string(),
  contactEmail: z.string(),
  intro: z.array(z.string()),
  sections: z.array(
    z.strictObject({
      heading: z.string(),
      blocks: z.array(LegalBlock),
      subsections: z.array(z.strictObject({ heading: z.string(), blocks: z.array(LegalBlock) })),
    }),
  ),
});
export type LegalText = z.infer<typeof LegalText>;

/**
 * The rendered part, stored as the `shown` column. `format` lets a later worker read the versions
 * an older one stored.
 */
export const ShownVersion = z.strictObject({
  format: z.literal(1),
  defaultLocale: LocaleTag,
  legal: LegalText,
  locales: z.record(LocaleTag, ShownLocale),
});
export type ShownVersion = z.infer<typeof ShownVersion>;

export const PolicyVersion = z.strictObject({
  fingerprint: Fingerprint,
  revision: z.int().check(z.positive()),
  effectiveDate: z.iso.date(),
  /** The canonical JSON of the policy; `sha256Hex(policy) === fingerprint`. */
  policy: z.string(),
  shown: ShownVersion,
});
export type PolicyVersion = z.infer<typeof PolicyVersion>;

const versions = new WeakMap<CompiledPolicy, Promise<PolicyVersion>>();

/**
 * The version of a compiled policy, built once per policy object.
 * @example
 * const version = await policyVersion(deployedPolicy());
 * version.shown.locales.hi?.banner.body // the Hindi banner text as shown
 */
export function policyVersion(policy: CompiledPolicy): Promise<PolicyVersion> {
  let version = versions.get(policy);
  if (!version) {
    version = buildVersion(policy);
    versions.set(policy, version);
  }
  return version;
}

async function buildVersion(compiled: CompiledPolicy): Promise<PolicyVersion> {
  const { policy } = compiled;
  const { content } = policy;
  return {
    fingerprint: compiled.fingerprint,
    revision: policy.revision,
    effectiveDate: policy.effectiveDate,
    policy: canonicalJson(policy),
    shown: {
      format: 1,
      defaultLocale: policy.defaultLocale,
      legal: {
        locale: content.locale,
        title: content.title,
        controller: content.controller,
        contactEmail: content.contactEmail,
        intro: content.intro,
        sections: content.sections,
      },
      locales: Object.fromEntries(Object.keys(policy.locales).map((locale) => [locale, shownTexts(compiled, locale)])),
    },
  };
}

/** True when the stored policy JSON hashes to the fingerprint it is stored under. */
export async function verifiesFingerprint(version: Pick<PolicyVersion, 'fingerprint' | 'policy'>): Promise<boolean> {
  return sha256Hex(version.policy) === version.fingerprint;
}

/**
 * The queue message that carries a version: gzip, base64. A version is tens of kilobytes of JSON
 * (two locales: ~45 KB), a queue message at most 128 KB; compressed it is a few kilobytes.
 */
export const VersionMessage = z.strictObject({
  kind: z.literal('version'),
  fingerprint: Fingerprint,
  gzip: z.string().check(z.regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64')),
});
export type VersionMessage = z.infer<typeof VersionMessage>;

/** Packs a version into its queue message. */
export async function versionMessage(version: PolicyVersion): Promise<VersionMessage> {
  return { kind: 'version', fingerprint: version.fingerprint, gzip: await gzipBase64(JSON.stringify(version)) };
}

/**
 * Unpacks a version message; null when it does not hold a valid version whose policy hashes to
 * its fingerprint (such a message is never stored: the key would lie about the texts).
 */
export async function unpackVersion(message: VersionMessage): Promise<PolicyVersion | null> {
  try {
    const parsed = PolicyVersion.safeParse(JSON.parse(await gunzipBase64(message.gzip)));
    if (!parsed.success || parsed.data.fingerprint !== message.fingerprint) return null;
    return (await verifiesFingerprint(parsed.data)) ? parsed.data : null;
  } catch {
    return null;
  }
}

async function gzipBase64(text: string): Promise<string> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

async function gunzipBase64(data: string): Promise<string> {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
}
