import { createCaseStore } from '#shared/data/case-store';
import { getTable } from '#shared/data/db';
import type { ReferenceDeps } from '#shared/domain/reference/use-cases';
import { cachedDepartments, getReferenceDeps } from './reference.ts';

let deps: ReferenceDeps | undefined;

/** The reference use cases with the case store's re-keying, for the route that stores departments. */
export function getDepartmentDeps(): ReferenceDeps {
  deps ??= { ...getReferenceDeps(), cases: createCaseStore(getTable(), cachedDepartments) };
  return deps;
}
