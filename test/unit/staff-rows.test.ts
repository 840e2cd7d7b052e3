import { describe, expect, it } from 'vitest';
import { parseStaffRows } from '#shared/http/staff-rows';
import { parseWith } from '#shared/http/validate';
import { CreateStaffBody } from '#shared/schemas/identity';
import { ValidationError } from '#shared/domain/errors';

const HAN = /[\u4e00-\u9fff]/;
const bad = [
  { phone: '12345', displayName: '处置 甲', roles: ['handler'], departmentId: 'yanfeng-street-brigade' },
  { phone: '13900030001', displayName: '处置 乙', roles: ['handler'], departmentId: 'Yanfeng Brigade!' },
  { phone: '13900030002', displayName: '', roles: [], departmentId: 'yanfeng-street-brigade', status: 'gone' },
];

describe('staff batch rows: format errors in the caller\'s language', () => {
  it('zh-CN: a bad phone, a malformed department id and zod\'s own checks are all in Chinese', () => {
    const rows = parseStaffRows(bad, 'zh-CN');
    expect(rows[0]!.issues).toEqual([{ path: 'phone', message: '手机号格式不正确：请填写 11 位大陆手机号或 E.164 格式（+8613800000007）' }]);
    expect(rows[1]!.issues).toEqual([{ path: 'departmentId', message: '部门编号格式不正确（小写字母、数字和连字符）' }]);
    expect(rows[2]!.issues.map((i) => i.path).sort()).toEqual(['displayName', 'roles', 'status']);
    for (const row of rows) for (const issue of row.issues) expect(issue.message, `${issue.path}: ${issue.message}`).toMatch(HAN);
  });

  it('en (Accept-Language): the same rows in English', () => {
    const rows = parseStaffRows(bad, 'en');
    expect(rows[0]!.issues).toEqual([{ path: 'phone', message: 'Not a valid phone number: use E.164 (+8613800000007) or an 11-digit mainland mobile number' }]);
    expect(rows[1]!.issues).toEqual([{ path: 'departmentId', message: 'A department id (lower-case letters, digits, dashes)' }]);
    for (const row of rows) for (const issue of row.issues) expect(issue.message).not.toMatch(HAN);
  });

  it('a request\'s 400 details use the same texts (POST /v1/admin/staff)', () => {
    const details = (language: 'zh-CN' | 'en') => {
      try {
        parseWith(CreateStaffBody, { ...bad[0], departmentId: 'Yanfeng Brigade!' }, '', language);
      } catch (error) {
        return (error as ValidationError).details;
      }
      return [];
    };
    expect(details('zh-CN')).toEqual([{ path: 'phone', message: expect.stringMatching(/^手机号格式不正确/) }, { path: 'departmentId', message: '部门编号格式不正确（小写字母、数字和连字符）' }]);
    expect(details('en')).toEqual([{ path: 'phone', message: expect.stringMatching(/^Not a valid phone number/) }, { path: 'departmentId', message: 'A department id (lower-case letters, digits, dashes)' }]);
  });
});
