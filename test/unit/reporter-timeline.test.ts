import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '#infra/local/platform';
import type { CaseEvent } from '#shared/domain/cases/model';
import { eventView } from '#shared/domain/cases/views';
import { renderSms } from '#shared/domain/messaging/sms-templates';

const NAMES = new Map([
  ['city-bureau', '市城管执法局'],
  ['yanfeng-district-bureau', '雁峰区城管执法局'],
]);
const names = { departmentName: (id: string) => NAMES.get(id) };
const event = (fields: Partial<CaseEvent>): CaseEvent =>
  ({ seq: 3, at: '2026-05-12T03:44:00.000Z', action: 'dispatch', toStatus: 'dispatched', actor: { id: 'u-1', role: 'dispatcher', displayName: '派遣员 张伟', departmentId: 'city-bureau' }, ...fields }) as CaseEvent;

describe('the timeline as its reporter reads it', () => {
  it('names the unit that dispatched, not the unit it dispatched to', () => {
    const view = eventView(event({ departmentId: 'yanfeng-district-bureau', departmentName: '雁峰区城管执法局' }), 'reporter', names);
    expect(view.actor).toEqual({ role: 'dispatcher', displayName: '市城管执法局' });
    expect(view.departmentId).toBe('yanfeng-district-bureau');
  });

  it('gives 核查 to the command center whoever in it verified (a supervisor there is no grid supervisor)', () => {
    for (const action of ['close', 'rework'] as const) {
      for (const role of ['supervisor', 'agent'] as const) {
        const view = eventView(event({ action, toStatus: 'closed', actor: { id: 'u-2', role, displayName: '监督员 李强', departmentId: 'city-bureau' } }), 'reporter', names);
        expect(view.actor).toEqual({ role, displayName: '城市管理指挥中心' });
      }
    }
    // A supervisor's own patrol report stays theirs.
    expect(eventView(event({ action: 'report', toStatus: 'reported', actor: { id: 'u-2', role: 'supervisor', displayName: '监督员 李强' } }), 'reporter', names).actor.displayName).toBe('城管监督员');
  });
});

describe('the closing SMS', () => {
  it('names the tab of the citizen page where the case is rated, as the page calls it', () => {
    const text = renderSms({ template: 'case-closed', params: { caseNumber: '2026-000123' } }, { signature: '城市管理' });
    const tab = /“([^”]+)”/.exec(text)?.[1];
    expect(tab).toBe('我的上报');
    const tabs = [...readFileSync(join(REPO_ROOT, 'mobile/src/App.vue'), 'utf8').matchAll(/<van-tabbar-item[^>]*>([^<]+)</g)].map((m) => m[1]!.trim());
    expect(tabs).toContain(tab);
  });
});
