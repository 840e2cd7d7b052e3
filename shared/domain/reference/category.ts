/** A category of the catalogue (部件 component / 事件 event, 大类 major class, 小类 minor class). */
export interface Category {
  code: string;
  name: string;
  group: 'component' | 'event';
  majorClass: string;
  /**
   * Handling limit in working hours (1 working day = 7 with the default calendar); `urgentHours` is the
   * limit of an urgent case (紧急) in clock hours, day and night.
   */
  timeLimit: { workingHours: number; urgentHours?: number | undefined };
  /** A specialist department that takes this duty; otherwise dispatch goes by location. */
  defaultDepartmentId?: string | undefined;
  /** 立案标准 — when a report is a valid case of this category. */
  filingCriteria?: string | undefined;
  /** 结案标准 — what "fixed" means for it. */
  closingCriteria?: string | undefined;
}
