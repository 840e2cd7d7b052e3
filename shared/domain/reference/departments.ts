import { NotFoundError, ValidationError } from '#shared/domain/errors';

/**
 * Department levels of the dispatch chain (seed, Case B): 市局 city bureau → 区局 district bureau →
 * 街道大队 street brigade. Specialist departments (landscaping, sanitation, lighting) sit at level 2
 * under the city bureau and take categories whose duty is theirs.
 */
export const DEPARTMENT_TYPES = ['city-bureau', 'district-bureau', 'street-brigade', 'specialist'] as const;
export type DepartmentType = (typeof DEPARTMENT_TYPES)[number];

const LEVEL_OF: Record<DepartmentType, number> = { 'city-bureau': 1, 'district-bureau': 2, specialist: 2, 'street-brigade': 3 };

export interface Department {
  id: string;
  name: string;
  parentId?: string | undefined;
  type: DepartmentType;
  /** 1 city, 2 district or specialist, 3 street. */
  level: number;
  /** Grids this department answers for directly (street brigades); higher levels cover their children's. */
  gridIds: string[];
}

export const levelOf = (type: DepartmentType) => LEVEL_OF[type];

/** The department hierarchy with the queries the lifecycle needs. Built from the full list, once. */
export class DepartmentTree {
  private readonly byId = new Map<string, Department>();
  private readonly children = new Map<string, Department[]>();
  private readonly streetUnitOfGrid = new Map<string, Department>();

  constructor(departments: readonly Department[]) {
    for (const d of departments) this.byId.set(d.id, d);
    for (const d of departments) {
      if (d.parentId) this.children.set(d.parentId, [...(this.children.get(d.parentId) ?? []), d]);
      if (d.type === 'street-brigade') for (const gridId of d.gridIds) this.streetUnitOfGrid.set(gridId, d);
    }
  }

  get(id: string): Department | undefined {
    return this.byId.get(id);
  }

  require(id: string): Department {
    const department = this.byId.get(id);
    if (!department) throw new NotFoundError(`No department ${id}`);
    return department;
  }

  list(): Department[] {
    return [...this.byId.values()].sort((a, b) => a.level - b.level || a.id.localeCompare(b.id));
  }

  /** From the parent up to the root (nearest first). */
  ancestors(id: string): Department[] {
    const chain: Department[] = [];
    const seen = new Set<string>([id]);
    for (let d = this.byId.get(this.require(id).parentId ?? ''); d; d = this.byId.get(d.parentId ?? '')) {
      if (seen.has(d.id)) break; // a cycle in stored data must not hang a request
      seen.add(d.id);
      chain.push(d);
    }
    return chain;
  }

  /** Every department below `id` (not including it), breadth first. */
  descendants(id: string): Department[] {
    const found: Department[] = [];
    const queue = [...(this.children.get(id) ?? [])];
    const seen = new Set<string>([id]);
    while (queue.length > 0) {
      const d = queue.shift()!;
      if (seen.has(d.id)) continue;
      seen.add(d.id);
      found.push(d);
      queue.push(...(this.children.get(d.id) ?? []));
    }
    return found;
  }

  /** Is `id` the department `ancestorId` itself or somewhere in its subtree? */
  isWithin(id: string, ancestorId: string): boolean {
    return id === ancestorId || this.ancestors(id).some((d) => d.id === ancestorId);
  }

  /** The unit at `level` responsible for `gridId`: the street brigade covering it, or its ancestor at that level. */
  responsibleUnit(level: number, gridId: string): Department | undefined {
    const street = this.streetUnitOfGrid.get(gridId);
    if (!street) return undefined;
    if (street.level === level) return street;
    return this.ancestors(street.id).find((d) => d.level === level);
  }

  /**
   * Checks that `candidate` can be stored: its parent exists (except for the city bureau), its level
   * follows from its type and parent, and it would not become its own ancestor.
   */
  validateUpsert(candidate: Department): void {
    const issues: Array<{ path: string; message: string }> = [];
    if (candidate.type === 'city-bureau') {
      if (candidate.parentId) issues.push({ path: 'parentId', message: 'The city bureau is the root and has no parent' });
    } else if (!candidate.parentId) {
      issues.push({ path: 'parentId', message: 'Only the city bureau has no parent' });
    } else {
      const parent = this.byId.get(candidate.parentId);
      if (!parent) issues.push({ path: 'parentId', message: `No department ${candidate.parentId}` });
      else {
        if (parent.level !== candidate.level - 1) {
          issues.push({ path: 'parentId', message: `A ${candidate.type} (level ${candidate.level}) must sit under a level ${candidate.level - 1} department` });
        }
        if (candidate.parentId === candidate.id || (this.byId.has(candidate.id) && this.isWithin(candidate.parentId, candidate.id))) {
          issues.push({ path: 'parentId', message: 'A department cannot be moved under itself' });
        }
      }
    }
    if (candidate.type !== 'street-brigade' && candidate.gridIds.length > 0) {
      issues.push({ path: 'gridIds', message: 'Only street brigades cover grids directly' });
    }
    for (const gridId of candidate.gridIds) {
      const owner = this.streetUnitOfGrid.get(gridId);
      if (owner && owner.id !== candidate.id) issues.push({ path: 'gridIds', message: `Grid ${gridId} is already covered by ${owner.id}` });
    }
    if (issues.length > 0) throw new ValidationError('The department does not fit the hierarchy', issues);
  }
}
