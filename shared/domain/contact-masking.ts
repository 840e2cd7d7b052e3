/**
 * Contact details in free text (a description, a note, an address) as the public and reporters may read
 * them: phone numbers, e-mail addresses and ID card numbers replaced by a label naming the kind
 * (`[电话已隐藏]`, `[邮箱已隐藏]`, `[证件号已隐藏]`). One function, {@link maskContacts}, for every such
 * text; pure, and linear in the text's length (one pass to map characters, one to find numbers, a
 * regular expression for e-mail addresses that only starts at the beginning of a run).
 *
 * Numbers are read as a person would type them on a Chinese keyboard: full-width digits and signs
 * (`１３９…`, `＋８６`, `＠`), digits written as Chinese numerals (`一三九〇…`, `幺`, `壹贰叁…`), groups
 * split by spaces, hyphens, dots, brackets or invisible characters. Left alone: UUIDs, dates, case
 * numbers (`2026-000123`), short codes, street numbers, amounts (followed by 元/万/…, after ¥),
 * decimals (coordinates) and long serial numbers that have none of the shapes below.
 */

export const PHONE_LABEL = '[电话已隐藏]';
export const EMAIL_LABEL = '[邮箱已隐藏]';
export const ID_LABEL = '[证件号已隐藏]';

/** Characters read as another one, code unit for code unit (so positions stay those of the text). */
const READ_AS: Record<string, string> = {
  〇: '0', 零: '0', 一: '1', 幺: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9',
  壹: '1', 贰: '2', 叁: '3', 肆: '4', 伍: '5', 陆: '6', 柒: '7', 捌: '8', 玖: '9',
  '\u24EA': '0', // ⓪
  '\uFE6B': '@', // ﹫
  '\u3000': ' ',
  '\u00A0': ' ',
};
for (let d = 0; d < 9; d++) READ_AS[String.fromCharCode(0x2460 + d)] = String(d + 1); // ①–⑨

/** One code unit as read: full-width ASCII (U+FF01–FF5E) as ASCII, the table above, else itself. */
function readAs(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code >= 0xff01 && code <= 0xff5e) return String.fromCharCode(code - 0xfee0);
  return READ_AS[ch] ?? ch;
}

/** The text as read, of the same length: index i of the result reads index i of the text. */
export function readDigits(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += readAs(text[i]!);
  return out;
}

const isDigit = (ch: string | undefined) => ch !== undefined && ch >= '0' && ch <= '9';
const isAsciiAlnum = (ch: string | undefined) => ch !== undefined && /[0-9A-Za-z]/.test(ch);
/** An X (an ID card's check character) at `i` that ends a word. */
const isCheckX = (read: string, i: number) => (read[i] === 'X' || read[i] === 'x') && !isAsciiAlnum(read[i + 1]);
/** Between two groups of one number: spaces, hyphens and dashes, dots, brackets, invisible characters. */
const JOINER = /[\s\-.()\u2010-\u2015\u2212\u00AD\u200B-\u200D\u2060\uFEFF]/;
const MAX_JOINER = 4;

interface Group {
  start: number;
  end: number;
  /** The digits (an ID card's last may be X). */
  digits: string;
  /** The characters between the previous group and this one ('' for the first). */
  joinerBefore: string;
}

/** Spans to hide, each with its label. */
interface Span {
  start: number;
  end: number;
  label: string;
}

const validDate = (y: number, m: number, d: number) => y >= 1900 && y <= 2099 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
/** `20260512`, or `2026-05-12` / `2026.5.12` / `2026 05 12` as groups 4-2-2. */
function isDate(groups: Group[]): boolean {
  const all = groups.map((g) => g.digits).join('');
  if (groups.length === 1 && all.length === 8) return validDate(+all.slice(0, 4), +all.slice(4, 6), +all.slice(6));
  if (groups.length === 3 && groups[0]!.digits.length === 4 && groups[1]!.digits.length <= 2 && groups[2]!.digits.length <= 2) {
    return validDate(+groups[0]!.digits, +groups[1]!.digits, +groups[2]!.digits);
  }
  return false;
}

const MOBILE = /^(?:0086|86)?1[3-9]\d{9}$/;
/** Area code with its trunk 0, then a local number (010-12345678, 0734-8123456). */
const LANDLINE = /^(?:0086|86)?0[1-9]\d{1,2}[2-9]\d{6,7}$/;
/** After +86 / 0086 the trunk 0 is dropped (+86 734 8123456). */
const LANDLINE_INTERNATIONAL = /^(?:0086|86)[1-9]\d{1,2}[2-9]\d{6,7}$/;
/** 400 / 800 service numbers. */
const SERVICE = /^[48]00\d{7}$/;
/** A local number without its area code (8123456, 81234567). */
const LOCAL = /^[2-9]\d{6,7}$/;
const ID_18 = /^[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dX]$/;
const ID_15 = /^[1-9]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}$/;
/** A 15-digit (first-generation) ID card number is only taken for one after words that name it. */
const ID_WORDS = /(?:身份证|证件|证号|身份号|ID)[^\d]{0,8}$/i;
/** Words that say a phone number follows: then a local number written with dots is one too. */
const PHONE_WORDS = /(?:电话|手机|联系|座机|致电|拨打|热线|号码|tel|phone|call)[^\d]{0,6}$/i;
/** An amount: a unit after the number, or a currency sign before it. */
const UNIT_AFTER = /^\s?(?:元|万|亿|块|角|圆|美元|%|‰)/;
const CURRENCY_BEFORE = /[¥$€£]\s?$/;

/** The kind of the digits of groups[i..j], or undefined when they are no contact detail. */
function kindOf(groups: Group[], i: number, j: number, digits: string, plus: boolean, before: string): string | undefined {
  const n = digits.length;
  if (n === 18) return ID_18.test(digits) ? ID_LABEL : undefined;
  if (n === 15 && ID_15.test(digits) && ID_WORDS.test(before)) return ID_LABEL;
  if (digits.includes('X')) return undefined;
  if (MOBILE.test(digits) || LANDLINE.test(digits) || SERVICE.test(digits)) return PHONE_LABEL;
  if ((plus || digits.startsWith('0086')) && LANDLINE_INTERNATIONAL.test(digits)) return PHONE_LABEL;
  if (n <= 8 && LOCAL.test(digits) && !isDate(groups.slice(i, j + 1))) {
    // Not the integer or fractional part of a decimal (26.8790123), unless words say it is a phone number.
    let decimal = groups[j + 1]?.joinerBefore.includes('.') ?? false;
    for (let k = i; k <= j && !decimal; k++) decimal = groups[k]!.joinerBefore.includes('.');
    if (decimal && !PHONE_WORDS.test(before)) return undefined;
    return PHONE_LABEL;
  }
  return undefined;
}

/** The numbers in `read` (the text as read): each one a list of groups, numbers within it masked. */
function numberSpans(read: string): Span[] {
  const spans: Span[] = [];
  let i = 0;
  while (i < read.length) {
    if (!isDigit(read[i])) {
      i++;
      continue;
    }
    // One chain of groups: digits, joiners of at most MAX_JOINER characters between them.
    const chainStart = i;
    const groups: Group[] = [];
    let joinerBefore = '';
    for (;;) {
      const start = i;
      while (isDigit(read[i])) i++;
      // An ID card's check character X ends its group (or stands alone after a separator).
      if (isCheckX(read, i)) i++;
      groups.push({ start, end: i, digits: read.slice(start, i).toUpperCase(), joinerBefore });
      let k = i;
      while (k < read.length && k - i < MAX_JOINER && JOINER.test(read[k]!)) k++;
      if (k > i && (isDigit(read[k]) || isCheckX(read, k)) && !/[\r\n]{2}/.test(read.slice(i, k))) {
        joinerBefore = read.slice(i, k);
        i = k;
        continue;
      }
      break;
    }
    const chainEnd = i;
    // Amounts are no phone numbers (2000000 元, ¥1234567.50).
    if (UNIT_AFTER.test(read.slice(chainEnd, chainEnd + 3)) || CURRENCY_BEFORE.test(read.slice(Math.max(0, chainStart - 2), chainStart))) continue;
    // The month and day of a date (2026-05-12 …) start no number: 05-12 … is no Suzhou landline.
    const inDate = new Set<number>();
    for (let d = 0; d + 2 < groups.length; d++) if (isDate(groups.slice(d, d + 3))) inDate.add(d + 1).add(d + 2);
    // Longest contact detail from each group on; at most 18 digits, so at most 18 groups are tried.
    let g = 0;
    while (g < groups.length) {
      if (inDate.has(g)) {
        g++;
        continue;
      }
      // A plus sign before the number, maybe behind a separator (+86, ＋ 86).
      let start = groups[g]!.start;
      let sign = start;
      while (sign > start - MAX_JOINER && sign > 0 && JOINER.test(read[sign - 1]!)) sign--;
      const plus = read[sign - 1] === '+';
      const before = read.slice(Math.max(0, start - 16), start);
      let found: { end: number; label: string } | undefined;
      let digits = '';
      for (let h = g; h < groups.length && digits.length + groups[h]!.digits.length <= 18; h++) {
        digits += groups[h]!.digits;
        const label = digits.length >= 7 ? kindOf(groups, g, h, digits, plus, before) : undefined;
        if (label) found = { end: h, label };
      }
      if (!found) {
        g++;
        continue;
      }
      // The signs that belong to the number: +86, (0734).
      if (plus) start = sign - 1;
      else if (read[start - 1] === '(') start--;
      let end = groups[found.end]!.end;
      if (read[end] === ')' && read.slice(start, end).includes('(')) end++;
      spans.push({ start, end, label: found.label });
      g = found.end + 1;
    }
  }
  return spans;
}

/**
 * E-mail addresses (`name@example.com`, full width, spaces around @). The local part starts where its run
 * of characters starts (the lookbehind), so a long run without an @ is read once, not once per character.
 */
/** UUIDs (their groups of digits are no phone numbers); fixed lengths, so bounded work per position. */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+ ?@ ?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;

/** `text` with every phone number, e-mail address and ID card number replaced by its label. */
export function maskContacts(text: string): string {
  let read = readDigits(text);
  const spans: Span[] = [];
  for (const match of read.matchAll(EMAIL)) spans.push({ start: match.index, end: match.index + match[0].length, label: EMAIL_LABEL });
  // Addresses (masked) and UUIDs (kept) are no longer read as digits.
  read = read.replace(EMAIL, (m) => '#'.repeat(m.length)).replace(UUID, (m) => '#'.repeat(m.length));
  spans.push(...numberSpans(read));
  if (!spans.length) return text;
  spans.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const s of spans) {
    if (s.start < at) continue;
    out += text.slice(at, s.start) + s.label;
    at = s.end;
  }
  return out + text.slice(at);
}
