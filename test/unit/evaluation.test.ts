import { describe, expect, it } from 'vitest';
import { departmentScore, emptyTotals, summarize, DEFAULT_WEIGHTS } from '#shared/domain/stats/evaluation';

describe('figures of the exception paths', () => {
  it('reports 延期率 = extended ÷ dispatched and the exception counts in the summary', () => {
    const summary = summarize({ ...emptyTotals(), dispatched: 8, extended: 2, suspended: 1, voided: 3, supervised: 4, due: 5, dueClosed: 5 });
    expect(summary).toMatchObject({ extensionRate: 0.25, extended: 2, suspended: 1, voided: 3, supervised: 4, dueToClose: 5, closureRate: 1 });
    expect(summarize(emptyTotals()).extensionRate).toBeNull();
  });

  it('scores a department lower for extensions and supervisions, with weights that are configuration', () => {
    const clean = { ...emptyTotals(), dispatched: 4, handled: 4, handledOnTime: 4, closed: 4 };
    expect(departmentScore(clean).score).toBe(100);
    // Half of its dispatches extended, all supervised: (0.5 + 0.3 + 0.1 + 0.1 × 0.5 + 0.1 × 0) ÷ 1.1 (nobody rated).
    const pressed = departmentScore({ ...clean, extended: 2, supervised: 4 });
    expect(pressed).toMatchObject({ extended: 2, supervised: 4, score: 86.36 });
    // A configuration without the exception weights ignores them (its meaning is unchanged).
    expect(departmentScore({ ...clean, extended: 2, supervised: 4 }, { onTime: 0.5, closure: 0.3, noRework: 0.1, satisfaction: 0.1 }).score).toBe(100);
    expect(DEFAULT_WEIGHTS).toMatchObject({ noExtension: 0.1, noSupervision: 0.1 });
  });
});
