import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE, WORKING_HOURS_PER_DAY } from '#shared/domain/reference/default-catalogue';

const CODE_PATTERN = /^[A-Z0-9]{2,12}$/;
/** The specialist units of the demo city; every other category is dispatched by location. */
const KNOWN_DEPARTMENTS = new Set(['city-landscaping', 'city-sanitation', 'city-lighting']);
const REQUIRED_EVENT_MAJORS = ['市容环境', '宣传广告', '街面秩序', '公用设施', '园林绿化', '道路交通'];
const REQUIRED_COMPONENT_MAJORS = ['公用设施', '道路交通', '市容环境', '园林绿化'];

const byName = (name: string) => DEFAULT_CATALOGUE.find((category) => category.name === name);
const majorsOf = (group: 'component' | 'event') =>
  new Set(DEFAULT_CATALOGUE.filter((category) => category.group === group).map((category) => category.majorClass));

describe('default category catalogue', () => {
  it('ships between 35 and 50 categories', () => {
    expect(DEFAULT_CATALOGUE.length).toBeGreaterThanOrEqual(35);
    expect(DEFAULT_CATALOGUE.length).toBeLessThanOrEqual(50);
  });

  it('gives every category a unique code that matches the contract pattern', () => {
    const codes = DEFAULT_CATALOGUE.map((category) => category.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(CODE_PATTERN);
  });

  it('prefixes codes with C for components and E for events', () => {
    for (const { code, group } of DEFAULT_CATALOGUE) {
      expect(code).toMatch(group === 'component' ? /^C\d{4}$/ : /^E\d{4}$/);
    }
  });

  it('keeps one major-class number per major-class name within a group', () => {
    const numberToMajor = new Map<string, string>();
    for (const { code, majorClass } of DEFAULT_CATALOGUE) {
      const prefix = code.slice(0, 3);
      expect(numberToMajor.get(prefix) ?? majorClass, `${code} is filed under ${prefix}`).toBe(majorClass);
      numberToMajor.set(prefix, majorClass);
    }
  });

  it('gives every category a positive time limit in half-hour steps', () => {
    for (const { code, timeLimit } of DEFAULT_CATALOGUE) {
      expect(timeLimit.workingHours, code).toBeGreaterThan(0);
      expect(Number.isInteger(timeLimit.workingHours * 2), code).toBe(true);
    }
  });

  it('limits 沿街晾挂 (the seed case) to one working day of 7 working hours', () => {
    const hanging = byName('沿街晾挂');
    expect(WORKING_HOURS_PER_DAY).toBe(7);
    expect(hanging).toMatchObject({ group: 'event', majorClass: '街面秩序', timeLimit: { workingHours: 7 } });
    expect(hanging?.defaultDepartmentId).toBeUndefined();
  });

  it('has a light-nuisance event (the seed hotline case) with a 3-working-day limit', () => {
    const lightNuisance = DEFAULT_CATALOGUE.filter(
      (category) => category.group === 'event' && /灯光|亮化/.test(category.name) && category.name.includes('扰民'),
    );
    expect(lightNuisance).toHaveLength(1);
    expect(lightNuisance[0]?.timeLimit.workingHours).toBe(3 * WORKING_HOURS_PER_DAY);
  });

  it('covers both groups and the required major classes of each', () => {
    expect(new Set(DEFAULT_CATALOGUE.map((category) => category.group))).toEqual(new Set(['component', 'event']));
    for (const major of REQUIRED_EVENT_MAJORS) expect([...majorsOf('event')]).toContain(major);
    for (const major of REQUIRED_COMPONENT_MAJORS) expect([...majorsOf('component')]).toContain(major);
  });

  it.each([
    ['暴露垃圾', 'event'],
    ['积存垃圾渣土', 'event'],
    ['道路不洁', 'event'],
    ['乱堆物堆料', 'event'],
    ['店外经营', 'event'],
    ['占道经营/流动摊贩', 'event'],
    ['非法小广告', 'event'],
    ['违规户外广告', 'event'],
    ['机动车乱停放', 'event'],
    ['非机动车乱停放', 'event'],
    ['渣土车辆未密闭/抛洒滞漏', 'event'],
    ['施工废弃料', 'event'],
    ['道路破损', 'event'],
    ['绿地脏乱', 'event'],
    ['井盖丢失/移位', 'component'],
    ['井盖破损', 'component'],
    ['路灯损坏', 'component'],
    ['景观灯损坏', 'component'],
    ['行道树缺损', 'component'],
    ['公厕设施损坏', 'component'],
    ['垃圾箱/果皮箱损坏', 'component'],
  ] as const)('includes %s as a %s', (name, group) => {
    expect(byName(name)?.group).toBe(group);
  });

  it('gives a missing manhole cover the shortest limit (2 working hours)', () => {
    const limits = DEFAULT_CATALOGUE.map((category) => category.timeLimit.workingHours);
    expect(byName('井盖丢失/移位')?.timeLimit.workingHours).toBe(2);
    expect(Math.min(...limits)).toBe(2);
  });

  it('names default departments only from the specialist units of the demo city', () => {
    for (const { code, defaultDepartmentId } of DEFAULT_CATALOGUE) {
      if (defaultDepartmentId !== undefined) expect(KNOWN_DEPARTMENTS.has(defaultDepartmentId), code).toBe(true);
    }
  });

  it('routes lighting, sanitation and landscaping duties to their specialist units', () => {
    expect(byName('路灯损坏')?.defaultDepartmentId).toBe('city-lighting');
    expect(byName('景观灯损坏')?.defaultDepartmentId).toBe('city-lighting');
    expect(byName('暴露垃圾')?.defaultDepartmentId).toBe('city-sanitation');
    expect(byName('公厕设施损坏')?.defaultDepartmentId).toBe('city-sanitation');
    expect(byName('行道树缺损')?.defaultDepartmentId).toBe('city-landscaping');
    for (const category of DEFAULT_CATALOGUE.filter((c) => c.majorClass === '园林绿化')) {
      expect(category.defaultDepartmentId, category.code).toBe('city-landscaping');
    }
  });

  it('gives every category Chinese filing and closing criteria', () => {
    for (const { code, filingCriteria, closingCriteria } of DEFAULT_CATALOGUE) {
      expect(filingCriteria, code).toMatch(/\p{Script=Han}/u);
      expect(closingCriteria, code).toMatch(/\p{Script=Han}/u);
    }
  });
});
