import { join } from 'node:path';
import sharp from 'sharp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '#infra/local/platform';
import { loginAs } from '../support/auth.ts';
import { jpegWithGps, uploadPhoto } from '../support/photos.ts';
import { recompressed, scene } from '../support/scenes.ts';
import type { startTestPlatform } from '../support/platform.ts';
import { consoleBrowserSuite, consoleSession, loginInConsole, PHONE, pickOption, screenshot, watchCsp } from '../support/browser.ts';

/**
 * The command-center console in a real browser (Debian's Chromium through playwright-core) against the
 * whole local platform: every demo role logs in through the outbox code, then the seed's Case B runs
 * end to end in the UI and the leader's dashboard counts it. Screenshots go to docs/console/.
 */
const SHOTS = join(REPO_ROOT, 'docs', 'console');
const STAFF = {
  admin: '+8613800000001',
  agent: '+8613800000002',
  supervisor: '+8613800000003',
  cityDispatcher: '+8613800000004',
  districtDispatcher: '+8613800000005',
  streetDispatcher: '+8613800000006',
  handler: '+8613800000007',
  leader: '+8613800000008',
} as const;
type Who = keyof typeof STAFF;
/** Evaluated in the page: the <img> has loaded real pixels (the signed photo URL worked). */
const IMAGE_LOADED = (el: unknown) => {
  const img = el as { complete: boolean; naturalWidth: number };
  return img.complete && img.naturalWidth > 0;
};

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let browser: Browser;
// One logged-in browser context per person for the whole file (a code can be asked for once a minute).
const sessions = {} as Record<Who, { context: BrowserContext; page: Page }>;
const page = (who: Who) => sessions[who].page;

const suite = consoleBrowserSuite();
beforeAll(() => void ({ platform, browser } = suite));

describe('logging in to the console', () => {
  it('serves the console under /console/ with the SPA fallback and real content types', async () => {
    const index = await fetch(`${platform.url}/console/queue`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await index.text();
    expect(html).toContain('CityGrid 数字城管指挥中心');
    // The Content-Security-Policy the pages run under (the same function builds CloudFront's).
    const policy = index.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("script-src 'self';");
    expect(policy).toMatch(new RegExp(`connect-src 'self' ${platform.s3Endpoint}(;|$)`));
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${platform.url}${script}`);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${platform.url}/v1/health`)).status).toBe(200);
  });

  // Each role lands on its own first page: the queue, the handler's tasks or the dashboard.
  it.each([
    ['agent', '坐席员', '/console/queue', 'queue'],
    ['supervisor', '监督员', '/console/queue', 'queue'],
    ['cityDispatcher', '派遣员', '/console/queue', 'queue'],
    ['districtDispatcher', '派遣员', '/console/queue', 'queue'],
    ['streetDispatcher', '派遣员', '/console/queue', 'queue'],
    ['handler', '处置人员', '/console/tasks', 'tasks'],
    ['leader', '领导', '/console/dashboard', 'summary'],
    ['admin', '管理员', '/console/dashboard', 'summary'],
  ] as Array<[Who, string, string, string]>)('logs in the %s with the SMS code from the outbox and lands on their page', async (who, role, path, testId) => {
    sessions[who] = await loginInConsole(browser, platform.url, STAFF[who], who === 'handler' ? PHONE : undefined);
    const p = page(who);
    await expect.poll(() => new URL(p.url()).pathname).toBe(path);
    await p.getByTestId(testId).waitFor();
    expect(await p.getByTestId('current-user').textContent()).toContain(`（${role}`);
    expect(await p.getByText('无权访问').count()).toBe(0);
    // Admins, and only they, see the working-calendar year that must be set now (from December 1 the next one).
    const { accessToken } = await consoleSession(p);
    const { missingYear } = (await platform.api('/v1/admin/calendar', { headers: { authorization: `Bearer ${accessToken}` } })).json ?? {};
    if (who === 'admin' && missingYear) {
      await p.getByTestId('calendar-banner').waitFor();
      expect(await p.getByTestId('calendar-banner').textContent()).toContain(`${missingYear} 年节假日日历尚未配置：未配置前，节假日按工作日计算时限`);
    } else {
      expect(await p.getByTestId('calendar-banner').count()).toBe(0);
    }
    // Supervisors and handlers (no desk role besides) are pointed to the field app; the console keeps their pages.
    if (who === 'supervisor' || who === 'handler') {
      await p.getByTestId('field-app-banner').waitFor();
      expect(await p.getByTestId('field-app-banner').textContent()).toContain('外业人员请使用 城管通 /field/');
      expect(await p.getByTestId('field-app-link').getAttribute('href')).toBe('/field/');
    } else {
      expect(await p.getByTestId('field-app-banner').count()).toBe(0);
    }
  });

  it('shows the login page in Chinese with labelled fields', async () => {
    const context = await watchCsp(await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' }));
    const login = await context.newPage();
    await login.goto(`${platform.url}/console/dashboard`);
    await expect.poll(() => login.url()).toContain('/console/login');
    await login.getByLabel('手机号').waitFor();
    expect(await login.getByLabel('验证码').count()).toBe(1);
    await screenshot(login, join(SHOTS, 'login.png'));
    await context.close();
  });
});

describe("the seed's Case B in the console", () => {
  it('goes report (API) → file → dispatch ×3 → complete with an after photo → verify → closed, and the dashboard counts it', async () => {
    // 11:44 the supervisor reports from video patrol (through the API, as the field app would).
    const supervisorToken = (await consoleSession(page('supervisor'))).accessToken;
    const before = await uploadPhoto(platform, supervisorToken, 'before', await jpegWithGps());
    const reported = await platform.api('/v1/cases', {
      method: 'POST',
      headers: { authorization: `Bearer ${supervisorToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        description: '十字路口沿街晾挂衣物，影响市容（视频巡查发现）',
        location: { lat: 26.879, lng: 112.613 },
        address: '雁峰区雁峰街道当家村社区十字路口',
        photoKeys: [before.photoKey],
      }),
    });
    expect(reported.status).toBe(201);
    const id: string = reported.json.case.id;

    // The agent finds it in the "reported" queue and files it as 沿街晾挂 (limit shown: 7 working hours).
    const agent = page('agent');
    await agent.getByRole('tab', { name: '待受理' }).click();
    await agent.getByRole('button', { name: '刷新' }).click();
    await agent.getByTestId('queue').getByText('十字路口沿街晾挂衣物').waitFor();
    await screenshot(agent, join(SHOTS, 'queue.png'));
    await agent.getByTestId('queue').getByText('十字路口沿街晾挂衣物').click();
    await agent.waitForURL(`**/console/cases/${id}`);
    const fileCard = agent.getByTestId('action-file');
    await pickOption(agent, fileCard.locator('.el-select').first(), '沿街晾挂（E0503）', { filter: '沿街晾挂', shown: '沿街晾挂' });
    await expect.poll(() => agent.getByTestId('category-limit').textContent()).toContain('7 工作小时');
    await fileCard.getByRole('button', { name: '立案', exact: true }).click();
    await expect.poll(() => agent.getByTestId('case-status').textContent()).toBe('已立案·待派遣');
    const caseNumber: string = (await platform.api(`/v1/cases/${id}`, { headers: { authorization: `Bearer ${(await consoleSession(agent)).accessToken}` } })).json.case.caseNumber;
    expect(caseNumber).toMatch(/^\d{4}-\d{6}$/);

    // … and dispatches it by location (no unit chosen): the city bureau.
    await agent.getByTestId('action-dispatch').getByRole('button', { name: '派遣', exact: true }).click();
    await expect.poll(() => agent.getByTestId('case-status').textContent()).toBe('处置中');
    await expect.poll(() => agent.getByText('市城管执法局').first().isVisible()).toBe(true);

    // The city bureau's dispatcher finds it by its number and sends it down to the district bureau.
    await dispatchDown('cityDispatcher', caseNumber, id, '雁峰区城管执法局');
    // The district bureau's dispatcher sends it to the street brigade's handler, chosen from the staff directory.
    await dispatchDown('districtDispatcher', caseNumber, id, '雁峰街道城管大队', '处置人员 赵磊');

    // The city bureau's queue is its subtree: the case, now held by the street brigade, is in it with its
    // holder. The 部门 filter narrows it to one district: 珠晖 holds nothing of it, 雁峰 holds it.
    const city = page('cityDispatcher');
    const queued = city.getByTestId('queue').locator('tr', { hasText: '十字路口沿街晾挂衣物' });
    // The page may have loaded the queue before the last dispatch (and the index is eventually consistent):
    // refresh until the row names its new holder.
    await expect
      .poll(async () => {
        await city.getByRole('button', { name: '刷新' }).click();
        await queued.waitFor();
        return queued.textContent();
      })
      .toContain('雁峰街道城管大队');
    const pickDepartment = async (name: string) => {
      await city.getByTestId('queue-department').locator('.el-select').click();
      await city.locator('.el-tree-node__content:visible', { hasText: name }).first().click();
    };
    await pickDepartment('珠晖区城管执法局');
    await city.getByTestId('queue').getByText('队列为空').waitFor();
    await pickDepartment('雁峰区城管执法局');
    await queued.waitFor();

    // 15:01 the handler, on a phone, uploads the after photo from "my tasks" and completes.
    const handler = page('handler');
    await handler.getByRole('button', { name: '刷新' }).click();
    const task = handler.getByTestId(`task-${caseNumber}`);
    await task.waitFor();
    await screenshot(handler, join(SHOTS, 'handler-tasks.png'));
    const afterPhoto = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3a3' } }).jpeg().toBuffer();
    await task.locator('input[type=file]').setInputFiles({ name: 'after.jpg', mimeType: 'image/jpeg', buffer: afterPhoto });
    await task.getByLabel('处置说明').fill('已劝导商户收回晾晒衣物');
    await task.getByRole('button', { name: '处置完成' }).click();
    await handler.getByText('暂无待处置任务').waitFor({ timeout: 30_000 });

    // 15:13 the agent compares the before and after photos side by side (zooming in) and closes it.
    await agent.getByRole('button', { name: '刷新' }).click();
    await expect.poll(() => agent.getByTestId('case-status').textContent()).toBe('已处置·待核查');
    const beforeImage = agent.getByTestId('photos-before').locator('img');
    const afterImage = agent.getByTestId('photos-after').locator('img');
    await expect.poll(() => beforeImage.count()).toBe(1);
    await expect.poll(() => afterImage.count()).toBe(1);
    await expect.poll(() => afterImage.evaluate(IMAGE_LOADED)).toBe(true);
    await expect.poll(() => beforeImage.evaluate(IMAGE_LOADED)).toBe(true);
    await screenshot(agent, join(SHOTS, 'case-verify.png'));
    await beforeImage.click();
    await agent.locator('.el-image-viewer__wrapper').waitFor();
    await agent.keyboard.press('Escape');
    await agent.locator('.el-image-viewer__wrapper').waitFor({ state: 'detached' });
    await agent.getByLabel('核查意见（可选）').fill('前后照片对比，问题已解决');
    await agent.getByRole('button', { name: '核查通过，结案' }).click();
    await expect.poll(() => agent.getByTestId('case-status').textContent()).toBe('已结案');
    const timeline = await agent.getByTestId('timeline').textContent();
    for (const step of ['上报', '立案', '派遣', '处置完成', '核查结案', '监督员 李强', '市局派遣员 张华', '雁峰区局派遣员 刘洋', '处置人员 赵磊']) expect(timeline).toContain(step);
    expect(await agent.getByTestId('timeline').locator('.el-timeline-item').count()).toBe(7);
    await screenshot(agent, join(SHOTS, 'case-closed.png'));

    // A report outside every grid: the hotspots list it as 未定位, so that they add up to 受理.
    const outside = await platform.api('/v1/cases', {
      method: 'POST',
      headers: { authorization: `Bearer ${supervisorToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ description: '城郊公路边堆放生活垃圾', location: { lat: 27.2, lng: 112.2 } }),
    });
    expect(outside.status).toBe(201);
    expect(outside.json.case.gridId).toBeUndefined();

    // The leader's dashboard counts the closed case.
    const leader = page('leader');
    const statsCalls: string[] = [];
    const onRequest = (request: { url(): string }) => {
      const path = new URL(request.url()).pathname;
      if (path.startsWith('/v1/stats/')) statsCalls.push(path);
    };
    leader.on('request', onRequest);
    await leader.reload();
    const figure = (name: string) => leader.getByTestId(`figure-${name}`).locator('.num').textContent();
    await expect.poll(() => figure('closed'), { timeout: 20_000 }).toBe('1');
    leader.off('request', onRequest);
    // One request per panel: the trend's 14 days come in one request, not one per day.
    expect(statsCalls.sort()).toEqual(['/v1/stats/departments', '/v1/stats/grids', '/v1/stats/staff', '/v1/stats/summary', '/v1/stats/trend']);
    expect(await figure('received')).toBe('2');
    expect(await figure('filed')).toBe('1');
    expect(await leader.getByTestId('hotspot-unlocated').textContent()).toContain('受理 1 件');
    expect(await leader.getByTestId('department-ranking').textContent()).toContain('雁峰街道城管大队');
    // The city bureau dispatched but handled nothing: no score, shown as —, not as an empty cell or 0.
    const bureauRow = leader.getByTestId('department-ranking').locator('tr', { hasText: '市城管执法局' }).first();
    expect(((await bureauRow.locator('td').nth(6).textContent()) ?? '').trim()).toBe('—');
    // 照片存疑 beside the evaluations (not in the score): the handler's after photo carries no time (a
    // plain picture without EXIF, the console sends none) — 1 of 1 for the brigade and for 赵磊, by flag
    // in the tooltip. Counted by the event processor on the completion.
    const brigadeFlags = leader.getByTestId('department-ranking').locator('tr', { hasText: '雁峰街道城管大队' }).first().getByTestId('department-photo-flags');
    await expect.poll(async () => (await brigadeFlags.textContent())?.trim(), { timeout: 20_000 }).toBe('1/1');
    const handlerRow = leader.getByTestId('handler-evaluation').locator('tr', { hasText: '赵磊' }).first();
    expect((await handlerRow.getByTestId('handler-photo-flags').textContent())?.trim()).toBe('1');
    await leader.locator('canvas').first().waitFor();
    await screenshot(leader, join(SHOTS, 'dashboard.png'));
    await handlerRow.getByTestId('handler-photo-flags').hover();
    await expect.poll(() => leader.locator('.el-popper:visible').last().textContent()).toContain('无拍摄时间 1');
    await screenshot(leader, join(SHOTS, 'dashboard-photo-flags.png'));
  });
});

/** A dispatcher opens the case found by its number and dispatches it to `department` (and a handler). */
async function dispatchDown(who: Who, caseNumber: string, id: string, department: string, handlerName?: string) {
  const dispatcher = page(who);
  await dispatcher.getByLabel('按案件编号查找').fill(caseNumber);
  await dispatcher.getByRole('button', { name: '查找' }).click();
  await dispatcher.waitForURL(`**/console/cases/${id}`);
  const card = dispatcher.getByTestId('action-dispatch');
  await pickOption(dispatcher, card.locator('.el-select').first(), department, { items: '.el-tree-node__content' });
  if (handlerName) {
    // The staff directory lists the chosen department's handlers: pick this one by name. (The tree's
    // nodes are dropdown items too, so the item is found by its text, in the handler select's list.)
    const handlerSelect = card.locator('.el-form-item', { hasText: '处置人员（可选）' }).locator('.el-select');
    await pickOption(dispatcher, handlerSelect, handlerName);
  }
  await card.getByRole('button', { name: '派遣', exact: true }).click();
  await expect.poll(() => dispatcher.getByText(department).first().isVisible()).toBe(true);
  await expect.poll(async () => (await dispatcher.getByRole('button', { name: '派遣', exact: true }).count()) === 0 || (await dispatcher.locator('.el-descriptions').textContent())?.includes(department)).toBe(true);
  await dispatcher.goto(`${platform.url}/console/queue`);
}

/** Calls the API as a person logged in to the console (their token from the page's session). */
async function call(who: Who, method: string, path: string, body?: unknown) {
  const { accessToken } = await consoleSession(page(who));
  return platform.api(path, { method, headers: { authorization: `Bearer ${accessToken}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
}
/** Opens a case page in `who`'s console. */
async function openCase(who: Who, id: string) {
  const p = page(who);
  await p.goto(`${platform.url}/console/cases/${id}`);
  await p.getByTestId('case-status').waitFor();
  return p;
}

describe('exceptions, field checks and duplicates in the console', () => {
  let citizenToken: string;
  /** A citizen's report through the API (as the mobile page would), at `location`. */
  async function report(description: string, location = { lat: 26.879, lng: 112.613 }): Promise<string> {
    const response = await platform.api('/v1/cases', {
      method: 'POST',
      headers: { authorization: `Bearer ${citizenToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ description, location }),
    });
    expect(response.status).toBe(201);
    return response.json.case.id;
  }
  beforeAll(async () => {
    citizenToken = (await loginAs(platform.url, '+8613900006001', 'register')).accessToken;
  });

  it('延期: the handler asks for 14 more working hours, the agent approves, and the case shows the new deadline and the timeline', async () => {
    const id = await report('人行道护栏被撞倒，需要更换');
    const handlerId = (await consoleSession(page('handler'))).user.id;
    expect((await call('agent', 'POST', `/v1/cases/${id}/file`, { categoryCode: 'C0201' })).status).toBe(200);
    expect((await call('agent', 'POST', `/v1/cases/${id}/dispatch`, { departmentId: 'yanfeng-street-brigade', assigneeId: handlerId })).status).toBe(200);

    // The handler (on a phone) asks for an extension from the case page.
    const handler = await openCase('handler', id);
    const ask = handler.getByTestId('action-request');
    await expect.poll(() => ask.locator('.el-radio-button.is-active').textContent()).toBe('延期');
    await ask.getByLabel('延期小时数（工作小时）').fill('14');
    await ask.getByLabel('延期小时数（工作小时）').press('Tab');
    await ask.getByLabel('申请理由').fill('需协调物业拆除违建后才能更换护栏');
    await ask.getByRole('button', { name: '提交申请' }).click();
    await handler.getByTestId('my-request').getByText('您的延期申请已提交').waitFor();
    expect(await handler.getByTestId('pending-request').textContent()).toContain('申请延期 14 小时');
    expect(await handler.getByTestId('action-decide').count()).toBe(0); // nobody decides their own

    // The agent sees who asked for what, and approves; the deadline moves by 14 working hours.
    const agent = await openCase('agent', id);
    const decideCard = agent.getByTestId('action-decide');
    const asked = await decideCard.textContent();
    for (const text of ['延期', '14 工作小时', '需协调物业拆除违建后才能更换护栏', '赵磊']) expect(asked).toContain(text);
    const before = await agent.getByTestId('due-at').textContent();
    expect(before).toMatch(/\d{4}/);
    await decideCard.getByLabel('审批意见（可选）').fill('同意延期两个工作日');
    await decideCard.getByRole('button', { name: '批准', exact: true }).click();
    await expect.poll(() => agent.getByTestId('extension-count').textContent()).toBe('1');
    expect(await agent.getByTestId('due-at').textContent()).not.toBe(before);
    expect(await agent.getByTestId('pending-request').count()).toBe(0);
    const { json } = await call('agent', 'GET', `/v1/cases/${id}`);
    expect(json.case).toMatchObject({ status: 'dispatched', extensionCount: 1 });
    const timeline = await agent.getByTestId('timeline').textContent();
    for (const text of ['提出申请', '延期 14 小时', '需协调物业拆除违建后才能更换护栏', '同意延期两个工作日', '处置人员 赵磊', '坐席员 王敏']) expect(timeline).toContain(text);
    await agent.locator('.cg-toolbar').scrollIntoViewIfNeeded();
    await screenshot(agent, join(SHOTS, 'case-extension.png'));
  });

  it('作废: the agent asks to void a filed case with a reason; 领导 周伟 approves in the console; the case is 作废 with the request and the decision in the timeline', async () => {
    const id = await report('同一处井盖缺失重复上报');
    expect((await call('agent', 'POST', `/v1/cases/${id}/file`, { categoryCode: 'C0201' })).status).toBe(200);

    // The agent asks from the case page: a filed case offers only 作废.
    const agent = await openCase('agent', id);
    const ask = agent.getByTestId('action-request');
    await expect.poll(() => ask.locator('.el-radio-button.is-active').textContent()).toBe('作废');
    await ask.getByLabel('申请理由').fill('与已办结案件重复立案');
    await ask.getByRole('button', { name: '提交申请' }).click();
    await agent.getByTestId('my-request').getByText('您的作废申请已提交').waitFor();
    expect(await agent.getByTestId('pending-request').textContent()).toContain('申请作废：与已办结案件重复立案');
    expect(await agent.getByTestId('pending-tag').textContent()).toBe('待审批·作废');
    expect(await agent.getByTestId('action-decide').count()).toBe(0); // nobody decides their own
    expect((await call('agent', 'GET', `/v1/cases/${id}`)).json.case).toMatchObject({ status: 'filed', pendingRequest: { kind: 'void' } });

    // The leader opens the case, sees who asked for what, and approves.
    const leader = await openCase('leader', id);
    const decideCard = leader.getByTestId('action-decide');
    await decideCard.waitFor();
    expect(await decideCard.textContent()).toContain('审批作废申请');
    for (const text of ['与已办结案件重复立案', '王敏']) expect(await decideCard.textContent()).toContain(text);
    await decideCard.getByLabel('审批意见（可选）').fill('同意作废');
    await decideCard.getByRole('button', { name: '批准', exact: true }).click();
    await expect.poll(() => leader.getByTestId('case-status').textContent()).toBe('作废');
    expect(await leader.getByTestId('pending-request').count()).toBe(0);
    expect(await leader.getByTestId('action-decide').count()).toBe(0);
    const { json } = await call('leader', 'GET', `/v1/cases/${id}`);
    expect(json.case.status).toBe('voided');
    expect(json.case.pendingRequest).toBeFalsy();
    const timeline = leader.getByTestId('timeline');
    const text = await timeline.textContent();
    for (const step of ['提出申请', '与已办结案件重复立案', '同意作废', '坐席员 王敏', '领导 周伟']) expect(text).toContain(step);
    // Newest first: the decision (作废 → 作废, by the leader) above the request (作废 requested, still 已立案·待派遣).
    const items = timeline.locator('.el-timeline-item');
    expect(await items.nth(0).textContent()).toMatch(/作废[\s\S]*领导 周伟[\s\S]*→ 作废/);
    expect(await items.nth(1).textContent()).toMatch(/提出申请[\s\S]*坐席员 王敏[\s\S]*→ 已立案·待派遣[\s\S]*· 作废/);
  });

  it('挂账 → 恢复: the handler asks to suspend a dispatched case, the agent approves (挂账), then resumes it (处置中)', async () => {
    const id = await report('路面大面积坑洼需专项资金修复');
    const handlerId = (await consoleSession(page('handler'))).user.id;
    expect((await call('agent', 'POST', `/v1/cases/${id}/file`, { categoryCode: 'C0201' })).status).toBe(200);
    expect((await call('agent', 'POST', `/v1/cases/${id}/dispatch`, { departmentId: 'yanfeng-street-brigade', assigneeId: handlerId })).status).toBe(200);

    const handler = await openCase('handler', id);
    const ask = handler.getByTestId('action-request');
    await ask.locator('.el-radio-button', { hasText: '挂账' }).click();
    await expect.poll(() => ask.locator('.el-radio-button.is-active').textContent()).toBe('挂账');
    expect(await ask.getByLabel('延期小时数（工作小时）').count()).toBe(0);
    await ask.getByLabel('申请理由').fill('需等待专项资金，暂无法处置');
    await ask.getByRole('button', { name: '提交申请' }).click();
    await handler.getByTestId('my-request').getByText('您的挂账申请已提交').waitFor();
    expect(await handler.getByTestId('pending-request').textContent()).toContain('申请挂账：需等待专项资金，暂无法处置');

    // The agent approves: 挂账.
    const agent = await openCase('agent', id);
    const decideCard = agent.getByTestId('action-decide');
    expect(await decideCard.textContent()).toContain('审批挂账申请');
    expect(await decideCard.textContent()).toContain('赵磊');
    await decideCard.getByLabel('审批意见（可选）').fill('同意挂账，资金到位后恢复');
    await decideCard.getByRole('button', { name: '批准', exact: true }).click();
    await expect.poll(() => agent.getByTestId('case-status').textContent()).toBe('挂账');
    expect(await agent.getByTestId('pending-request').count()).toBe(0);
    expect((await call('agent', 'GET', `/v1/cases/${id}`)).json.case.status).toBe('suspended');
    expect(await agent.getByTestId('timeline').textContent()).toContain('同意挂账，资金到位后恢复');

    // … and resumes it once the money is there: back to 处置中.
    const resumeCard = agent.getByTestId('action-resume');
    await resumeCard.getByLabel('恢复说明（可选）').fill('专项资金已到位');
    await resumeCard.getByRole('button', { name: '恢复处置' }).click();
    await expect.poll(() => agent.getByTestId('case-status').textContent()).toBe('处置中');
    expect(await agent.getByTestId('action-resume').count()).toBe(0);
    expect((await call('agent', 'GET', `/v1/cases/${id}`)).json.case.status).toBe('dispatched');
    const items = agent.getByTestId('timeline').locator('.el-timeline-item');
    expect(await items.nth(0).textContent()).toMatch(/恢复[\s\S]*坐席员 王敏[\s\S]*→ 处置中[\s\S]*专项资金已到位/);
    expect(await items.nth(1).textContent()).toMatch(/挂账[\s\S]*坐席员 王敏[\s\S]*→ 挂账/);
    expect(await items.nth(2).textContent()).toMatch(/提出申请[\s\S]*处置人员 赵磊[\s\S]*→ 处置中[\s\S]*· 挂账/);
  });

  it('督办: 领导 周伟 supervises a dispatched case with a note; the case shows 督办 1 次 and the timeline entry', async () => {
    const id = await report('主干道占道经营屡禁不止');
    expect((await call('agent', 'POST', `/v1/cases/${id}/file`, { categoryCode: 'C0201' })).status).toBe(200);
    expect((await call('agent', 'POST', `/v1/cases/${id}/dispatch`, { departmentId: 'yanfeng-street-brigade' })).status).toBe(200);

    const leader = await openCase('leader', id);
    const card = leader.getByTestId('action-supervise');
    expect(await card.getByRole('button', { name: '督办', exact: true }).isDisabled()).toBe(true); // a note is required
    await card.getByLabel('督办意见').fill('群众反映强烈，请于今日内处置');
    await card.getByRole('button', { name: '督办', exact: true }).click();
    await expect.poll(() => leader.locator('.cg-toolbar h1').textContent()).toContain('督办 1 次');
    expect(await leader.getByTestId('case-status').textContent()).toBe('处置中');
    expect(await card.getByLabel('督办意见').inputValue()).toBe('');
    expect((await call('leader', 'GET', `/v1/cases/${id}`)).json.case).toMatchObject({ status: 'dispatched', supervisionCount: 1 });
    const latest = leader.getByTestId('timeline').locator('.el-timeline-item').first();
    expect(await latest.textContent()).toMatch(/督办[\s\S]*领导 周伟[\s\S]*→ 处置中[\s\S]*群众反映强烈，请于今日内处置/);
  });

  it('核实: the agent sends the report to 监督员 李强, who answers in the console; the answer shows on the agent\'s case page', async () => {
    const id = await report('小区门口路灯不亮已经一周');
    const agent = await openCase('agent', id);
    const send = agent.getByTestId('action-field-check');
    await send.getByText('派发核实（监督员到现场核实上报问题）').waitFor();
    // The supervisors come from the staff directory: pick 李强 by name.
    await pickOption(agent, send.locator('.el-select'), '李强');
    await send.getByLabel('核实要求（可选）').fill('请到现场确认是哪一盏路灯');
    await send.getByRole('button', { name: '派发核实' }).click();
    const check = agent.getByTestId('field-check');
    await expect.poll(() => check.textContent()).toContain('待回复');
    expect(await check.textContent()).toContain('李强');
    expect(await agent.getByTestId('action-field-check').count()).toBe(0); // one open check per case

    // The supervisor lands on the queue, is pointed to the task, answers it from "my tasks".
    const supervisor = page('supervisor');
    await supervisor.goto(`${platform.url}/console/queue`);
    await supervisor.getByTestId('open-checks').getByRole('link', { name: '去处理' }).click();
    await supervisor.waitForURL('**/console/tasks');
    const task = supervisor.getByTestId(`check-${id}`);
    await task.getByText('小区门口路灯不亮已经一周').waitFor();
    expect(await task.textContent()).toContain('请到现场确认是哪一盏路灯');
    await task.getByText('情况属实', { exact: true }).click();
    await task.getByLabel('核实说明').fill('东门第三盏路灯不亮，情况属实');
    await screenshot(supervisor, join(SHOTS, 'supervisor-tasks.png'));
    await task.getByRole('button', { name: '提交核实结果' }).click();
    await supervisor.getByText('暂无核实/核查任务').waitFor();

    // The agent reloads the case: answered in time, confirmed, with the note.
    await agent.locator('.cg-toolbar').getByRole('button', { name: '刷新' }).click();
    await expect.poll(() => check.textContent()).toContain('已回复');
    const answered = await check.textContent();
    for (const text of ['情况属实', '东门第三盏路灯不亮，情况属实', '李强']) expect(answered).toContain(text);
    expect(answered).not.toContain('逾期');
    expect(await agent.getByTestId('case-status').textContent()).toBe('待受理'); // a check never changes the status
    const timeline = await agent.getByTestId('timeline').textContent();
    for (const text of ['派发核实/核查', '核实/核查回复']) expect(timeline).toContain(text);
  });

  it('相似案件: the second report of one problem lists the first; merging it into the first makes it 已合并 with a link there', async () => {
    const spot = { lat: 26.885, lng: 112.613 }; // 合江社区, far from the other tests' cases
    const first = await report('路边垃圾堆放，气味很大', spot);
    // The second report, 20 m away, by the patrolling supervisor (another person: the merge counts them).
    const patrol = await call('supervisor', 'POST', '/v1/cases', { description: '巡查发现路边垃圾堆放', location: { lat: spot.lat + 20 / 111_320, lng: spot.lng } });
    expect(patrol.status).toBe(201);
    const second: string = patrol.json.case.id;
    const filed = await call('agent', 'POST', `/v1/cases/${first}/file`, { categoryCode: 'E0102' });
    expect(filed.status).toBe(200);
    const { caseNumber, caseNumberLabel } = filed.json.case as { caseNumber: string; caseNumberLabel: string };

    const agent = await openCase('agent', second);
    const similar = agent.getByTestId('similar-cases');
    const row = similar.locator('.el-table__row', { hasText: caseNumber });
    await row.waitFor();
    const listed = await row.textContent();
    expect(listed).toMatch(/\b(19|20|21) 米/);
    expect(listed).toContain('已立案·待派遣');
    expect(await similar.locator('.el-table__row').count()).toBe(1);
    await screenshot(agent, join(SHOTS, 'case-similar.png'));
    await row.getByRole('button', { name: '合并到此案件' }).click();
    const dialog = agent.locator('.el-message-box');
    await dialog.getByText(`将本案件合并到案件 ${caseNumber}`).waitFor();
    await dialog.getByRole('button', { name: '确认合并' }).click();
    await expect.poll(() => agent.getByTestId('case-status').textContent()).toBe('已合并');
    const merged = agent.getByTestId('merged-into');
    await expect.poll(() => merged.textContent()).toContain(`已合并至 ${caseNumberLabel}`);
    expect(await agent.getByTestId('similar-cases').count()).toBe(0);
    expect(await agent.getByTestId('timeline').textContent()).toContain('合并至相同问题');

    // The link opens the first case, which now counts the merged report.
    await merged.getByRole('link', { name: caseNumberLabel }).click();
    await agent.waitForURL(`**/console/cases/${first}`);
    await expect.poll(() => agent.locator('.el-descriptions').first().textContent()).toContain('1 人次');
    expect((await call('agent', 'GET', `/v1/cases/${second}`)).json.case).toMatchObject({ status: 'merged', mergedInto: first });
  });

  it('照片核查: an after photo that is another case\'s before photo, taken 850 m away before the dispatch, is flagged in plain words beside it', async () => {
    // Case A: a citizen's before photo (a real picture with EXIF) on a report the agent files.
    const place = { lat: 26.879, lng: 112.613 };
    const shanghai = (minutes: number) => new Date(Date.now() + minutes * 60_000 + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, ':');
    const aPhoto = await scene(77, { takenAt: shanghai(-90), gps: place });
    const aUpload = await uploadPhoto(platform, citizenToken, 'before', aPhoto);
    const a = await platform.api('/v1/cases', { method: 'POST', headers: { authorization: `Bearer ${citizenToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ description: '井盖破损，行人易踩空', location: place, photoKeys: [aUpload.photoKey] }) });
    const aFiled = await call('agent', 'POST', `/v1/cases/${a.json.case.id}/file`, { categoryCode: 'C0201' });
    expect(aFiled.status).toBe(200);
    // Case B: dispatched to the handler, who completes it with A's picture (shrunk by the phone), its EXIF
    // saying it was taken an hour before the dispatch, 850 m north of the case.
    const b = await report('人行道井盖缺失');
    const handlerSession = await consoleSession(page('handler'));
    expect((await call('agent', 'POST', `/v1/cases/${b}/file`, { categoryCode: 'C0201' })).status).toBe(200);
    expect((await call('agent', 'POST', `/v1/cases/${b}/dispatch`, { departmentId: 'yanfeng-street-brigade', assigneeId: handlerSession.user.id })).status).toBe(200);
    const reused = await sharp(await recompressed(aPhoto, 480, 60)).withExif({ IFD2: { DateTimeOriginal: shanghai(-60) }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '26/1 53/1 11920/1000', GPSLongitudeRef: 'E', GPSLongitude: '112/1 36/1 46800/1000' } }).toBuffer();
    const after = await uploadPhoto(platform, handlerSession.accessToken, 'after', reused);
    expect((await call('handler', 'POST', `/v1/cases/${b}/complete`, { note: '已更换井盖', photoKeys: [after.photoKey] })).status).toBe(200);

    const agent = await openCase('agent', b);
    const flags = agent.getByTestId('photo-check-after');
    await flags.waitFor();
    const [year, serial] = (aFiled.json.case.caseNumber as string).split('-');
    await expect.poll(() => flags.textContent()).toContain(`处置后照片与【${year}】字第【${Number(serial)}】号的处置前照片相同`);
    const text = await flags.textContent();
    expect(text).toMatch(/拍摄地点距案发点 8\d\d 米/);
    expect(text).toContain('拍摄时间早于派遣时间');
    await expect.poll(() => agent.getByTestId('photos-after').locator('img').evaluate(IMAGE_LOADED)).toBe(true);
    await agent.getByTestId('photos-after').scrollIntoViewIfNeeded();
    await screenshot(agent, join(SHOTS, 'case-photo-checks.png'));
  });
});

describe('sessions', () => {
  const KEY = 'citygrid.console.session';
  /** Marks the stored session as expired, as after 12 hours (its refresh token kept, or replaced by `refreshToken`). */
  const expire = (p: Page, refreshToken?: string) =>
    p.evaluate(
      ([key, rt]) => {
        const store = (globalThis as unknown as { localStorage: { getItem(k: string): string | null; setItem(k: string, v: string): void } }).localStorage;
        const stored = JSON.parse(store.getItem(key!)!);
        store.setItem(key!, JSON.stringify({ ...stored, expiresAt: Date.now() - 1000, ...(rt ? { refreshToken: rt } : {}) }));
      },
      [KEY, refreshToken],
    );
  let firstRefreshToken: string;

  it('refreshes an expired token once for all tabs (Web Locks) with POST /v1/auth/refresh, as a single-use refresh token requires', async () => {
    const { context, page: first } = sessions.admin;
    const second = await context.newPage();
    await second.goto(`${platform.url}/console/dashboard`);
    // The dashboard's four stats requests take a while on a loaded machine: wait for the figures, generously.
    await second.getByTestId('figure-closed').waitFor({ timeout: 90_000 });
    const before = (await consoleSession(first)) as unknown as { accessToken: string; refreshToken: string };
    expect(before.refreshToken).toEqual(expect.any(String));
    firstRefreshToken = before.refreshToken;
    const seen: string[] = [];
    const onRequest = (request: { url(): string; postData(): string | null }) => {
      if (request.url().endsWith('/v1/auth/refresh')) seen.push(JSON.parse(request.postData() ?? '{}').refreshToken);
    };
    context.on('request', onRequest);
    await expire(first);
    await Promise.all([first.reload(), second.reload()]);
    // Two refreshes with one token would end the session (a reused token): both tabs work only if one refreshed.
    await first.getByTestId('figure-closed').waitFor({ timeout: 90_000 });
    await second.getByTestId('figure-closed').waitFor({ timeout: 90_000 });
    await expect.poll(() => first.getByTestId('figure-closed').locator('.num').textContent()).toBe('1');
    expect(seen).toEqual([firstRefreshToken]);
    const after = (await consoleSession(second)) as unknown as { accessToken: string; refreshToken: string; expiresAt: number };
    expect(after.refreshToken).not.toBe(firstRefreshToken);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.expiresAt).toBeGreaterThan(Date.now() + 60 * 60_000);
    context.off('request', onRequest);
    await second.close();
  });

  it('goes back to the login when the refresh is refused (an old refresh token presented again ends the session)', async () => {
    // The replaced token, used again, is refused and ends the whole session (as a stolen copy would).
    const replayed = await platform.api('/v1/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: firstRefreshToken }) });
    expect(replayed.status).toBe(401);
    const admin = sessions.admin.page;
    await expire(admin);
    await admin.reload();
    await expect.poll(() => new URL(admin.url()).pathname).toBe('/console/login');
    await admin.getByLabel('手机号').waitFor();
  });
});
