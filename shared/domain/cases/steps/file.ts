import { ValidationError } from '#shared/domain/errors';
import { localDay } from '../counters.ts';
import { clockOf } from '../deadline.ts';
import { DEFAULT_POSITION_LIMITS, localYear } from '../deps.ts';
import type { StepFn } from './step.ts';
import { isSupervisorReport } from '../model.ts';

/** 立案: classify, number, fix the grid. */
export const fileStep: StepFn<'file'> = async (deps, { current, principal, calendar, at }, input) => {
  const [categories, grids] = await Promise.all([deps.reference.categories(), deps.reference.grids()]);
  const category = categories.get(input.categoryCode);
  if (!category) throw new ValidationError('Unknown category', [{ path: 'categoryCode', message: `No category ${input.categoryCode}` }]);
  let grid = current.gridId ? { id: current.gridId, name: current.gridName, district: current.district } : undefined;
  if (input.gridId) {
    const chosen = grids.get(input.gridId);
    if (!chosen) throw new ValidationError('Unknown grid', [{ path: 'gridId', message: `No grid ${input.gridId}` }]);
    grid = { id: chosen.id, name: chosen.name, district: chosen.district };
  }
  if (!grid) throw new ValidationError('The case lies outside every grid: give gridId', [{ path: 'gridId', message: 'Required for a case outside every grid' }]);
  const priority = input.priority ?? current.priority ?? 'normal';
  // 按时立案: within the filing limit after the report (for a 12345 call, after the hotline took it).
  const reportedAt = new Date(current.receivedAt ?? current.createdAt);
  const filingLimit = (deps.positionLimits ?? DEFAULT_POSITION_LIMITS).filingHours;
  const onTime = at.getTime() <= clockOf(await calendar(), { priority }).add(reportedAt, filingLimit).getTime();
  const year = localYear(at);
  const sequence = await deps.store.nextCaseNumber(year);
  return {
    changes: {
      categoryCode: category.code,
      categoryName: category.name,
      gridId: grid.id,
      gridName: grid.name,
      district: grid.district,
      caseNumber: `${year}-${String(sequence).padStart(6, '0')}`,
      // 紧急: decided at filing; the deadline then runs in clock hours from the first dispatch.
      priority,
      filedBy: principal.userId,
      filedAt: at.toISOString(),
      heldSince: at.toISOString(),
    },
    event: { note: input.note },
    counters: {
      case: { filed: 1 },
      staff: [
        { userId: principal.userId, add: { filings: 1, ...(onTime ? { filingsOnTime: 1 } : {}) } },
        // A supervisor's report (patrol or video) was valid: counted on the day it was reported.
        ...(isSupervisorReport(current.channel) && current.reporterId ? [{ userId: current.reporterId, day: localDay(new Date(current.createdAt)), add: { validReports: 1 } }] : []),
      ],
    },
  };
};
