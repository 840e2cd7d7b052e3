/**
 * Phone numbers: E.164 everywhere (`+8613800000007`). Plain 11-digit mainland mobile numbers, with or
 * without `86`/`0086`, spaces or dashes, are accepted and normalised.
 */
const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;
const E164 = /^\+[1-9]\d{7,14}$/;

/** The E.164 form of `input`, or `undefined` when it is not a phone number we accept. */
export function normalizePhone(input: string): string | undefined {
  // NFKC: digits typed in full width on a Chinese keyboard (１３８…, ＋８６) are the ASCII ones.
  const compact = input.normalize('NFKC').replace(/[\s\-().]/g, '');
  const digits = compact.replace(/^(\+86|0086|86)(?=1\d{10}$)/, '');
  if (MAINLAND_MOBILE.test(digits)) return `+86${digits}`;
  if (compact.startsWith('+86')) return undefined; // +86 but not a mainland mobile number
  return E164.test(compact) ? compact : undefined;
}

/** `+86 138****0007`: shown to everyone but the number's owner. */
export function maskPhone(e164: string): string {
  if (e164.startsWith('+86') && e164.length === 14) return `+86 ${e164.slice(3, 6)}****${e164.slice(10)}`;
  return `${e164.slice(0, 3)}****${e164.slice(-4)}`;
}
