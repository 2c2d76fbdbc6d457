/**
 * The cookie-date algorithm of RFC 6265bis §5.1.1, which is how browsers read `Expires`.
 * `Date.parse` disagrees with it on real inputs (two-digit years 50-69, trailing junk), and a
 * disagreement would let a cookie the browser keeps pass as a "deletion", so we mirror it.
 */

/** §5.1.1: delimiter = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: HTAB is one of the date delimiters.
const DELIMITERS = /[\x09\x20-\x2f\x3b-\x40\x5b-\x60\x7b-\x7e]+/;
/** time = hms-time [ non-digit *OCTET ]; hms-time = 1*2DIGIT ":" 1*2DIGIT ":" 1*2DIGIT */
const TIME = /^(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\D|$)/;
/** day-of-month = 1*2DIGIT [ non-digit *OCTET ] */
const DAY = /^(\d{1,2})(?:\D|$)/;
/** year = 2*4DIGIT [ non-digit *OCTET ] */
const YEAR = /^(\d{2,4})(?:\D|$)/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Parses a cookie date as a browser does (UTC milliseconds); `undefined` when the browser would
 * ignore the `Expires` attribute.
 * @example
 * parseCookieDate('Thu, 01 Jan 1970 00:00:00 GMT') // 0
 * parseCookieDate('tomorrow') // undefined
 */
export function parseCookieDate(input: string): number | undefined {
  let time: [number, number, number] | undefined;
  let day: number | undefined;
  let month: number | undefined;
  let year: number | undefined;
  for (const token of tokenize(input)) {
    const t = time === undefined ? TIME.exec(token) : null;
    if (t) {
      time = [Number(t[1]), Number(t[2]), Number(t[3])];
      continue;
    }
    const d = day === undefined ? DAY.exec(token) : null;
    if (d) {
      day = Number(d[1]);
      continue;
    }
    if (month === undefined) {
      const m = MONTHS.indexOf(token.slice(0, 3).toLowerCase());
      if (m !== -1) {
        month = m;
        continue;
      }
    }
    const y = year === undefined ? YEAR.exec(token) : null;
    if (y) year = Number(y[1]);
  }
  if (time === undefined || day === undefined || month === undefined || year === undefined) return undefined;
  if (year >= 70 && year <= 99) year += 1900;
  else if (year >= 0 && year <= 69) year += 2000;
  const [hour, minute, second] = time;
  if (day < 1 || day > 31 || year < 1601 || hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = Date.UTC(year, month, day, hour, minute, second);
  // §5.1.1: a date that does not exist (31 Feb) fails; Date.UTC would roll it into March.
  if (new Date(ms).getUTCDate() !== day) return undefined;
  return ms;
}

/** §5.1.1 step 1: ":" (%x3A) is not a delimiter, so an hms-time stays one token. */
function tokenize(input: string): string[] {
  return input.split(DELIMITERS).filter((token) => token.length > 0);
}
