import { join } from 'node:path';
import writeExcelFile from 'write-excel-file/node';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '#infra/local/platform';
import { loginAs } from '../support/auth.ts';
import { startTestPlatform } from '../support/platform.ts';
import { buildConsole, consoleSession, launchChromium, loginInConsole, pickOption, screenshot, takeCspViolations } from '../support/browser.ts';

/**
 * 应用维护 — the administrator's console pages in Debian's Chromium against the whole local platform (no
 * mocks): 30 staff imported from an .xlsx made here (two rows invalid, fixed in the preview), a
 * category's limit changed and read back in 操作日志, an API key shown once. Screenshots go to docs/console/.
 */
const SHOTS = join(REPO_ROOT, 'docs', 'console');
const ADMIN = '+8613800000001';
const AGENT = '+8613800000002';
const CITIZEN = '+8613700000991';
const SECOND_ADMIN = '+8613900040001';

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let browser: Browser;
let admin: { context: BrowserContext; page: Page };
let token: string;
const api = (path: string, init: RequestInit = {}) =>
  platform.api(path, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'accept-language': 'zh-CN', ...init.headers } });

beforeAll(async () => {
  await buildConsole();
  platform = await startTestPlatform();
  browser = await launchChromium();
  admin = await loginInConsole(browser, platform.url, ADMIN);
  token = (await consoleSession(admin.page)).accessToken;
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await platform?.stop();
});
afterEach(() => {
  expect(takeCspViolations()).toEqual([]);
});

async function open(page: Page, link: string, testId: string) {
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: link, exact: true }).click();
  await page.getByTestId(testId).waitFor();
}

describe('应用维护 in the menu', () => {
  it('shows the admin its seven pages, and a non-admin who types the address gets 无权访问', async () => {
    const nav = admin.page.getByRole('navigation', { name: '主导航' });
    for (const link of ['人员', '部门', '网格', '类别', '日历', '开放接口', '操作日志']) expect(await nav.getByRole('link', { name: link, exact: true }).count()).toBe(1);

    const agent = await loginInConsole(browser, platform.url, AGENT);
    expect(await agent.page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '人员', exact: true }).count()).toBe(0);
    await agent.page.goto(`${platform.url}/console/admin/staff`);
    await agent.page.getByText('无权访问').waitFor();
    expect(new URL(agent.page.url()).pathname).toBe('/console/forbidden');
    await agent.context.close();
  });
});

describe('人员: 30 staff from an .xlsx', () => {
  it('previews every row (two invalid, with their reasons), lets the admin fix them, writes them, and the directory lists them', async () => {
    // A citizen's phone cannot become a staff account.
    await loginAs(platform.url, CITIZEN, 'register', { displayName: '市民 王五' });
    const header = ['手机号', '姓名', '角色', '部门', '网格', '状态'];
    const rows = Array.from({ length: 30 }, (_, i) => {
      const n = String(i + 1).padStart(2, '0');
      return [`+86139100000${n}`, `导入员${n}`, i % 3 === 0 ? '监督员、处置人员' : '处置人员', i % 2 === 0 ? '雁峰街道城管大队' : 'yanfeng-street-brigade', '', '在职'];
    });
    rows[4]![0] = CITIZEN; // row 6 of the sheet
    rows[16]![3] = '不存在的大队'; // row 18
    const xlsx = await writeExcelFile([header, ...rows].map((r) => r.map((value) => ({ value, type: String })))).toBuffer();

    const page = admin.page;
    await open(page, '人员', 'admin-staff');
    await page.getByRole('button', { name: '导入', exact: true }).click();
    const dialog = page.getByTestId('staff-import');
    await dialog.getByLabel('选择文件').setInputFiles({ name: '人员.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: xlsx });
    const summary = dialog.getByTestId('import-summary');
    await expect.poll(() => summary.textContent()).toContain('共 30 行：新增 28 · 更新 0 · 无变化 0 · 有误 2');
    const preview = dialog.getByTestId('import-preview');
    await expect.poll(() => preview.textContent()).toContain('手机号：该手机号属于市民账号，不能作为工作人员导入');
    expect(await preview.textContent()).toContain('部门：部门「不存在的大队」不存在（请填写部门名称或编号）');
    // Nothing was written by the check.
    expect((await api('/v1/admin/staff?q=导入员&limit=100')).json.items).toHaveLength(0);
    await screenshot(page, join(SHOTS, 'admin-staff-import.png'));

    // Fix both in the preview: another phone for row 6, a real department for row 18; check again; apply.
    await dialog.getByLabel('第 6 行手机号').fill('+8613910000099');
    const badDepartment = preview.locator('.row-invalid').filter({ hasText: '导入员17' }).locator('.el-select');
    await pickOption(page, badDepartment, '雁峰街道城管大队', { items: '.el-tree-node__content' });
    await dialog.getByRole('button', { name: '重新检查' }).click();
    await expect.poll(() => summary.textContent()).toContain('共 30 行：新增 30 · 更新 0 · 无变化 0 · 有误 0');
    await dialog.getByRole('button', { name: '确认导入' }).click();
    await page.getByText('已导入：新增 30 人，更新 0 人，无变化 0 人').waitFor();

    // The directory lists them (search by a part of the name), with their phones.
    await page.getByLabel('姓名或手机号').fill('导入员');
    await page.getByRole('button', { name: '查询' }).click();
    const table = page.getByTestId('staff-table');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(30);
    expect(await table.textContent()).toContain('+8613910000099');
    const stored = (await api('/v1/admin/staff?q=导入员&limit=100')).json.items as Array<{ phone: string; departmentId: string; roles: string[] }>;
    expect(stored).toHaveLength(30);
    expect(stored.every((s) => s.departmentId === 'yanfeng-street-brigade')).toBe(true);
    expect(stored.find((s) => s.phone === '+8613910000001')?.roles.sort()).toEqual(['handler', 'supervisor']);
    await screenshot(page, join(SHOTS, 'admin-staff.png'));
  });
});

describe('类别: two admins at once (If-Match → 412)', () => {
  it('the second save of the same category says who changed it and when, overwrites nothing, and 刷新 reads the current version', async () => {
    type Category = { code: string; name: string; version: number; updatedAt?: string; timeLimit: { workingHours: number } };
    const categories = async () => (await api('/v1/categories')).json as Category[];
    // Lists carry every item's version (0 for one never written with a version).
    expect((await categories()).every((c) => Number.isInteger(c.version) && c.version >= 0)).toBe(true);
    const target = (await categories()).find((c) => c.code !== 'E0503')!;
    const me = (await api('/v1/me')).json.user as { displayName: string };
    const base = target.timeLimit.workingHours;

    // A second administrator (one phone gets one SMS code a minute: not the same person twice).
    const created = await api('/v1/admin/staff', { method: 'POST', body: JSON.stringify({ phone: SECOND_ADMIN, displayName: '管理员 乙', roles: ['admin'], departmentId: 'city-bureau' }) });
    expect(created.status).toBe(201);
    // Both open the same category's dialog (both read the same version).
    const other = await loginInConsole(browser, platform.url, SECOND_ADMIN);
    try {
      const dialogs = [];
      for (const page of [admin.page, other.page]) {
        await open(page, '类别', 'admin-categories');
        await page.getByRole('button', { name: `编辑 ${target.name}` }).click();
        dialogs.push(page.getByTestId('category-dialog'));
      }
      const [first, second] = dialogs as [ReturnType<Page['getByTestId']>, ReturnType<Page['getByTestId']>];

      await first.getByLabel('处置时限').fill(String(base + 1));
      await first.getByRole('button', { name: '保存' }).click();
      await admin.page.getByText(`已保存 ${target.name}`).waitFor();
      const saved = (await categories()).find((c) => c.code === target.code)!;
      expect(saved).toMatchObject({ version: target.version + 1, timeLimit: { workingHours: base + 1 } });

      await second.getByLabel('处置时限').fill(String(base + 2));
      await second.getByRole('button', { name: '保存' }).click();
      const notice = second.getByTestId('stale-notice');
      await notice.waitFor();
      const when = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(saved.updatedAt!));
      expect(await notice.textContent()).toContain(`该项已被 ${me.displayName} 于 ${when} 修改，您的修改未保存`);
      // Nothing was overwritten: the first admin's limit and version stand.
      expect((await categories()).find((c) => c.code === target.code)).toMatchObject({ version: saved.version, timeLimit: { workingHours: base + 1 } });

      // 刷新 reads the current version into the dialog; saving from there is accepted.
      await notice.getByRole('button', { name: '刷新' }).click();
      await expect.poll(() => second.getByLabel('处置时限').inputValue()).toBe(String(base + 1));
      expect(await second.getByTestId('stale-notice').count()).toBe(0);
      await second.getByLabel('处置时限').fill(String(base + 2));
      await second.getByRole('button', { name: '保存' }).click();
      await other.page.getByText(`已保存 ${target.name}`).waitFor();
      expect((await categories()).find((c) => c.code === target.code)).toMatchObject({ version: saved.version + 1, timeLimit: { workingHours: base + 2 } });
    } finally {
      await other.context.close();
    }
  });
});

describe('类别 and 操作日志', () => {
  it('changes a category\'s limit, and 操作日志 shows it before and after', async () => {
    const before = ((await api('/v1/categories')).json as Array<{ code: string; timeLimit: { workingHours: number } }>).find((c) => c.code === 'E0503')!;
    const next = before.timeLimit.workingHours + 1;
    const page = admin.page;
    await open(page, '类别', 'admin-categories');
    await page.getByRole('button', { name: '编辑 沿街晾挂' }).click();
    const dialog = page.getByTestId('category-dialog');
    await dialog.getByLabel('处置时限').fill(String(next));
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.getByText('已保存 沿街晾挂').waitFor();
    const after = ((await api('/v1/categories')).json as Array<{ code: string; timeLimit: { workingHours: number } }>).find((c) => c.code === 'E0503')!;
    expect(after.timeLimit.workingHours).toBe(next);
    await screenshot(page, join(SHOTS, 'admin-categories.png'));

    await open(page, '操作日志', 'admin-audit');
    const entry = page.getByTestId('audit-table').locator('tbody tr').filter({ hasText: '保存类别' }).filter({ hasText: 'E0503' }).first();
    await entry.waitFor();
    const line = entry.locator('tr').filter({ hasText: '处置时限（工作小时）' });
    expect(await line.locator('.before').textContent()).toBe(String(before.timeLimit.workingHours));
    expect(await line.locator('.after').textContent()).toBe(String(next));
    // The import is on the record too.
    expect(await page.getByTestId('audit-table').textContent()).toContain('批量导入人员');
    await screenshot(page, join(SHOTS, 'admin-audit.png'));
  });
});

describe('开放接口', () => {
  it('shows a new API key once: after closing the dialog it cannot be read again', async () => {
    const page = admin.page;
    await open(page, '开放接口', 'admin-api-keys');
    await page.getByLabel('接入系统名称').fill('区 12345 热线平台');
    await page.getByRole('button', { name: '新建密钥' }).click();
    const dialog = page.getByTestId('api-key-created');
    await expect.poll(() => page.locator('#new-key').inputValue()).toMatch(/^\S{20,}$/);
    const key = await page.locator('#new-key').inputValue();
    // No input of the page holds its value once the dialog is closed, nor does any text.
    const shown = async () => [await page.locator('body').innerText(), ...(await page.locator('input').evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value)))].join('\n');
    expect(await shown()).toContain(key);
    await dialog.getByRole('button', { name: '我已保存，关闭' }).click();
    await page.getByTestId('api-key-table').getByText('区 12345 热线平台').waitFor();
    await page.getByTestId('api-key-created').waitFor({ state: 'hidden' });
    expect(await shown()).not.toContain(key);
    // Neither the page after a reload nor the API holds it.
    await page.reload();
    await page.getByTestId('api-key-table').getByText('区 12345 热线平台').waitFor();
    expect(await shown()).not.toContain(key);
    expect(JSON.stringify((await api('/v1/admin/api-keys')).json)).not.toContain(key);
    await screenshot(page, join(SHOTS, 'admin-api-keys.png'));

    // Revoked after a confirmation.
    await page.getByTestId('api-key-table').locator('tr', { hasText: '区 12345 热线平台' }).getByRole('button', { name: '吊销' }).click();
    await page.getByRole('dialog', { name: '吊销接口密钥' }).getByRole('button', { name: '吊销' }).click();
    await page.getByText('已吊销「区 12345 热线平台」').waitFor();
    expect(JSON.stringify((await api('/v1/admin/api-keys')).json)).not.toContain('区 12345 热线平台');
  });
});

describe('部门 · 网格 · 日历', () => {
  it('shows the department tree, every grid on the map with the coverage check, and a year on the calendar', async () => {
    const page = admin.page;
    await open(page, '部门', 'admin-departments');
    await page.getByTestId('department-tree').getByText('雁峰街道城管大队').click();
    await expect.poll(() => page.getByLabel('名称').inputValue()).toBe('雁峰街道城管大队');
    await screenshot(page, join(SHOTS, 'admin-departments.png'));

    await open(page, '网格', 'admin-grids');
    await expect.poll(() => page.getByTestId('grid-warnings').textContent()).toMatch(/未发现网格重叠或空隙|重叠|空隙/);
    await screenshot(page, join(SHOTS, 'admin-grids.png'));

    await open(page, '日历', 'admin-calendar');
    await page.locator('.el-calendar').waitFor();
    await screenshot(page, join(SHOTS, 'admin-calendar.png'));
  });
});
