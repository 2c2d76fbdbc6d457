/**
 * A decision record joined with what its visitor was shown: the texts and cookie tables of the
 * policy version it points at, in the record's locale, and that version's legal text. Shared by
 * the receipt and `npm run consent:export`, so both say the same.
 */
import type { DecisionRecord } from './record';
import type { ShownLocale } from './shown';
import type { LegalText, ShownVersion } from './version';

export interface RecordShown {
  /** The locale of `texts`: the record's, or the version's default when the record names none. */
  locale: string;
  texts: ShownLocale;
  /** The policy page's legal text of that version (in the one language it is written in). */
  legal: LegalText;
}

/** A record with what was shown; `shown` is null when the log does not hold its version. */
export type Evidence = DecisionRecord & { shown: RecordShown | null };

/**
 * What the visitor of one record was shown under `version`, or null without a version.
 * @example
 * shownFor(record, versions.get(record.policyHash))?.texts.banner.body
 */
export function shownFor(record: Pick<DecisionRecord, 'locale'>, version: ShownVersion | undefined): RecordShown | null {
  if (!version) return null;
  const locale = record.locale && version.locales[record.locale] ? record.locale : version.defaultLocale;
  const texts = version.locales[locale];
  return texts ? { locale, texts, legal: version.legal } : null;
}

/**
 * Every record with what was shown, in the order given.
 * @example
 * withShown(records, await shownVersions(db, records.map((r) => r.policyHash)))
 */
export function withShown(records: readonly DecisionRecord[], versions: ReadonlyMap<string, ShownVersion>): Evidence[] {
  return records.map((record) => ({ ...record, shown: shownFor(record, versions.get(record.policyHash)) }));
}
