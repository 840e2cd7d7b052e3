/**
 * The case use cases, one module per step: reporting (`report.ts`), reading (`queries.ts`) and the
 * lifecycle (`transition.ts`, with each action's changes in `steps/`). Functions import the module of
 * their own step; this index serves tests and tools that use several.
 */
export type { CaseDeps } from './deps.ts';
export { reportCase, type ReportInput } from './report.ts';
export { findCaseByNumber, getCaseDetail, listMyCases, listQueue, type QueueFilter } from './queries.ts';
export { transition, type TransitionInput } from './transition.ts';
export { suggestTarget } from './steps/index.ts';
