import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Case, CaseEvent } from '#shared/domain/cases/model';
import { caseView, eventView } from '#shared/domain/cases/views';
import { EMAIL_LABEL, ID_LABEL, maskContacts, PHONE_LABEL, readDigits } from '#shared/domain/contact-masking';
import { reactionsTo } from '#shared/domain/events/reactions';
import { renderSms } from '#shared/domain/messaging/sms-templates';
import { requestView } from '#shared/domain/open311/georeport';

// ——— How people write a number: each digit half width, full width or a Chinese numeral; separators anywhere ———
const WRITTEN: Record<string, string[]> = {
  '0': ['0', '０', '〇', '零'],
  '1': ['1', '１', '一', '幺', '壹'],
  '2': ['2', '２', '二'],
  '3': ['3', '３', '三'],
  '4': ['4', '４', '四'],
  '5': ['5', '５', '五'],
  '6': ['6', '６', '六'],
  '7': ['7', '７', '七'],
  '8': ['8', '８', '八'],
  '9': ['9', '９', '九'],
  '+': ['+', '＋'],
  X: ['X', 'x', 'Ｘ'],
};
const SEPARATORS = ['', '', '', '-', ' ', '.', '－', '\u3000', '\u200B'];

/** `digits` written out: each character in one of its forms, a separator (or none) after each. */
const writtenOut = (digits: string) =>
  fc.tuple(...[...digits].map((d) => fc.tuple(fc.constantFrom(...(WRITTEN[d] ?? [d])), fc.constantFrom(...SEPARATORS)))).map((parts) =>
    parts.map(([ch, sep], k) => (k < parts.length - 1 ? ch + sep : ch)).join(''),
  );

const digitString = (length: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length }).map((d) => d.join(''));
const mobile = fc.tuple(fc.integer({ min: 3, max: 9 }), digitString(9)).map(([second, rest]) => `1${second}${rest}`);
const areaCode = fc.oneof(fc.constantFrom('10', '20', '21'), fc.tuple(fc.integer({ min: 3, max: 9 }), digitString(2)).map(([a, b]) => `${a}${b}`));
const localNumber = fc.tuple(fc.integer({ min: 2, max: 9 }), fc.oneof(digitString(6), digitString(7))).map(([a, b]) => `${a}${b}`);

/** A phone number as typed, and its national digits (what must not survive). */
const phone = fc.oneof(
  // Mobile, with or without +86 / 0086 / 86.
  fc.tuple(mobile, fc.constantFrom('', '+86', '0086', '86'), fc.constantFrom('', ' ', '-')).chain(([number, prefix, sep]) =>
    fc.tuple(prefix ? writtenOut(prefix) : fc.constant(''), writtenOut(number)).map(([p, n]) => ({ text: p ? p + sep + n : n, digits: number })),
  ),
  // Landline with its area code: 0734-8123456, (0734)8123456, +86 734 8123456.
  fc.tuple(areaCode, localNumber, fc.constantFrom('plain', 'brackets', '+86', '0086')).chain(([area, local, form]) =>
    fc.tuple(writtenOut(`0${area}`), writtenOut(area), writtenOut(local), fc.constantFrom('', ' ', '-'), writtenOut(form === '+86' ? '+86' : '0086')).map(([withZero, bare, l, sep, prefix]) => {
      if (form === 'plain') return { text: withZero + sep + l, digits: `0${area}${local}` };
      if (form === 'brackets') return { text: `(${withZero})${sep}${l}`, digits: `0${area}${local}` };
      return { text: `${prefix} ${bare}${sep}${l}`, digits: `${area}${local}` };
    }),
  ),
  // A local number after words that say it is one.
  fc.tuple(localNumber, fc.constantFrom('电话', '座机：', '联系电话 ', '请拨打')).chain(([local, words]) => writtenOut(local).map((l) => ({ text: words + l, digits: local }))),
  // 400 service numbers.
  digitString(7).chain((rest) => writtenOut(`400${rest}`).map((text) => ({ text, digits: `400${rest}` }))),
);

const BEFORE = ['', '电话', '联系我', '请拨打 ', '手机：', '家住解放路12号，', '2026-05-12 '];
const AFTER = ['', '，谢谢', ' 张先生', '。', '（晚上）', ' 2026-000123'];

/** The digits of a text as read (full width and Chinese numerals as digits), separators dropped. */
const digitsOf = (text: string) => readDigits(text).replace(/[^0-9]/g, '');
/** No run of 7 digits of `original` is left in `masked`. */
function expectNoRunOf(original: string, masked: string) {
  const left = digitsOf(masked);
  for (let k = 0; k + 7 <= original.length; k++) expect(left, `${masked} keeps ${original.slice(k, k + 7)}`).not.toContain(original.slice(k, k + 7));
}

describe('contact details in public and reporter-facing text', () => {
  it('hides every phone number however it is written (width, Chinese numerals, separators, +86 / 0086)', () => {
    fc.assert(
      fc.property(phone, fc.constantFrom(...BEFORE), fc.constantFrom(...AFTER), ({ text, digits }, before, after) => {
        const masked = maskContacts(before + text + after);
        expect(masked).toContain(PHONE_LABEL);
        expectNoRunOf(digits, masked);
      }),
      { numRuns: 500 },
    );
  });

  it('hides 18-character ID card numbers (check X, separators, full width)', () => {
    const birth = fc.date({ min: new Date('1930-01-01T00:00:00Z'), max: new Date('2020-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10).replace(/-/g, ''));
    const id = fc.tuple(fc.integer({ min: 11, max: 65 }), digitString(4), birth, digitString(3), fc.constantFrom('0', '5', '9', 'X')).map(([province, county, born, seq, check]) => `${province}${county}${born}${seq}${check}`);
    fc.assert(
      fc.property(id.chain((n) => writtenOut(n).map((text) => ({ text, digits: n.replace('X', '') }))), fc.constantFrom('', '身份证', '证件号码：'), fc.constantFrom(...AFTER), ({ text, digits }, before, after) => {
        const masked = maskContacts(before + text + after);
        expect(masked).toContain(ID_LABEL);
        expectNoRunOf(digits, masked);
      }),
      { numRuns: 300 },
    );
  });

  it('hides e-mail addresses, also typed in full width and with spaces around @', () => {
    const word = fc.stringMatching(/^[a-z0-9]{1,12}$/);
    const email = fc.tuple(word, fc.constantFrom('', '.', '_'), word, fc.constantFrom('qq.com', '163.com', 'hy.gov.cn', 'example.org')).map(([a, sep, b, domain]) => `${a}${sep}${b}@${domain}`);
    const fullWidth = (s: string) => s.replace(/[!-~]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
    fc.assert(
      fc.property(email, fc.constantFrom('plain', 'full', 'spaced', 'small-at'), fc.constantFrom(...BEFORE), (address, form, before) => {
        const text = form === 'full' ? fullWidth(address) : form === 'spaced' ? address.replace('@', ' @ ') : form === 'small-at' ? address.replace('@', '﹫') : address;
        const masked = maskContacts(`${before}邮箱 ${text}，谢谢`);
        expect(masked).toBe(`${before}邮箱 ${EMAIL_LABEL}，谢谢`);
      }),
      { numRuns: 300 },
    );
  });

  it('names the kind of each detail it hides', () => {
    expect(maskContacts('电话13912345678，或 +86 139 1234 5678；身份证 43040219900101123X 号')).toBe('电话[电话已隐藏]，或 [电话已隐藏]；身份证 [证件号已隐藏] 号');
    expect(maskContacts('身份证 430402 19900101123X')).toBe('身份证 [证件号已隐藏]'); // was "430402 [电话已隐藏]X"
    expect(maskContacts('１３９１２３４５６７８')).toBe(PHONE_LABEL);
    expect(maskContacts('＋８６ １３９ １２３４ ５６７８')).toBe(PHONE_LABEL);
    expect(maskContacts('0734-8123456 或 (0734)8123456')).toBe(`${PHONE_LABEL} 或 ${PHONE_LABEL}`);
    expect(maskContacts('电话8123456')).toBe(`电话${PHONE_LABEL}`);
    expect(maskContacts('一三九一二三四五六七八、幺三九〇〇〇〇零一二三')).toBe(`${PHONE_LABEL}、${PHONE_LABEL}`);
    expect(maskContacts('12345678@qq.com 或 ａｂｃ＠ｑｑ．ｃｏｍ')).toBe(`${EMAIL_LABEL} 或 ${EMAIL_LABEL}`);
    expect(maskContacts('旧身份证 430402900101123')).toBe(`旧身份证 ${ID_LABEL}`);
  });

  it('leaves UUIDs, dates, case numbers, codes, street numbers, amounts, decimals and serial numbers alone', () => {
    for (const text of [
      '5f0c3a1e-2026-4121-8345-901234567890',
      '12345678-1234-4123-8123-123456789012',
      '2026-05-12、2026.05.12、2026/05/12、20260512、2026-5-12',
      '2026-05-12T03:44:00.000Z 08:30',
      '案件 2026-000123，【2026】字第【123】号',
      'errorCode 40001, ERR_5001',
      '解放路12号、解放路12-3号3栋',
      '罚款 2000000 元，￥1234567.50，12,345,678元，3000000万，2500000%',
      '坐标 26.8790123, 112.6131234',
      '井盖编号 2026051200001 缺失',
      '流水号 123456789012345', // 15 digits, no ID words before it
      '二〇二六年五月十二日，一二三楼',
    ]) {
      expect(maskContacts(text), text).toBe(text);
    }
  });

  it('reads long and hostile texts in linear time (no backtracking blow-up)', () => {
    const hostile = [
      'a'.repeat(100_000), // an e-mail local part that never meets an @
      `${'a.'.repeat(50_000)}@`,
      '1 '.repeat(50_000), // a number chain of single digits
      '1-'.repeat(50_000),
      '一'.repeat(100_000),
      `${'0'.repeat(100_000)}X`,
      'x@a.'.repeat(25_000),
    ];
    for (const text of hostile) expect(maskContacts(text).length).toBeGreaterThan(0);
  });
});

describe('every public and reporter-facing text goes through it', () => {
  const CONTACTS = '联系 １３９１２３４５６７８ 或 wang@qq.com，身份证 430402 19900101123X';
  const MASKED = `联系 ${PHONE_LABEL} 或 ${EMAIL_LABEL}，身份证 ${ID_LABEL}`;
  const c: Case = {
    id: 'c1',
    caseNumber: '2026-000123',
    status: 'rejected',
    channel: 'app',
    description: CONTACTS,
    address: '解放路12号 电话0734-8123456',
    rejectReason: `请联系物业 ${CONTACTS}`,
    reporterId: 'citizen-1',
    dispatchPath: [],
    escalationLevel: 0,
    reworkCount: 0,
    beforePhotoKeys: [],
    afterPhotoKeys: [],
    createdAt: '2026-05-10T01:00:00.000Z',
    updatedAt: '2026-05-10T01:00:00.000Z',
    version: 2,
    eventCount: 2,
  };
  const rejection: CaseEvent = {
    caseId: 'c1',
    seq: 2,
    at: '2026-05-10T01:10:00.000Z',
    action: 'reject',
    fromStatus: 'reported',
    toStatus: 'rejected',
    actor: { id: 'agent-1', role: 'agent', displayName: '坐席员 王敏' },
    internal: false,
    note: '物业电话 0734-8123456',
  };
  const now = new Date('2026-05-11T00:00:00.000Z');

  it('the reporter\'s case view: description, address, a rejection\'s reason (staff keep the text)', () => {
    expect(caseView(c, 'reporter', now)).toMatchObject({ description: MASKED, address: `解放路12号 电话${PHONE_LABEL}`, rejectReason: `请联系物业 ${MASKED}` });
    expect(caseView(c, 'staff', now)).toMatchObject({ description: CONTACTS, address: c.address, rejectReason: c.rejectReason });
  });

  it('the reporter\'s timeline notes and the rejection text message', () => {
    expect(eventView(rejection, 'reporter')).toMatchObject({ note: `物业电话 ${PHONE_LABEL}` });
    expect(eventView(rejection, 'staff')).toMatchObject({ note: rejection.note });
    const [sms] = reactionsTo(c, rejection).sms;
    expect(renderSms(sms!.message, { signature: 'CityGrid' })).toContain(`原因：物业电话 ${PHONE_LABEL}`);
  });

  it('Open311 reads: description and address', () => {
    expect(requestView({ ...c, caseNumber: '2026-000123' })).toMatchObject({ description: MASKED, address: `解放路12号 电话${PHONE_LABEL}` });
  });
});
