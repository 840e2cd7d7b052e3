import * as z from '#shared/validation/zod';
import type { RowIssue, StaffBatchResultRow, StaffBatchRow, StaffRowInput } from '#shared/domain/identity/staff-batch';
import { StaffBatchRow as RowSchema } from '#shared/schemas/identity';
import { localize, type Language } from './messages.ts';
import { localizeIssueMessage, zodParseOptions } from './zod-locale.ts';

/**
 * The rows of a staff batch, each parsed on its own with the row schema (a bad row is answered as
 * `invalid` with its fields, not a 400 for the whole batch), in the caller's language (zod's own messages
 * by its locale, our schemas' own by FIELD_MESSAGES).
 */
export function parseStaffRows(items: ReadonlyArray<Record<string, unknown>>, language: Language): StaffBatchRow[] {
  return items.map((raw, index) => {
    const phone = typeof raw.phone === 'string' ? raw.phone : '';
    const result = z.safeParse(RowSchema, raw, zodParseOptions(language));
    if (result.success) return { row: index + 1, phone, input: result.data as StaffRowInput, issues: [] };
    return { row: index + 1, phone, issues: result.error.issues.map((i) => ({ path: i.path.map(String).join('.') || 'row', message: localizeIssueMessage(language, i.message) })) };
  });
}

/** A row's problems in the caller's language (catalogue ids; zod's own messages are already localised). */
export function localizeRows(items: StaffBatchResultRow[], language: Language) {
  const text = (issue: RowIssue) => (issue.messageId ? localize(language, 'VALIDATION_FAILED', { messageId: issue.messageId, messageParams: issue.params, message: issue.message }) : issue.message);
  return items.map(({ errors, ...row }) => ({ ...row, ...(errors ? { errors: errors.map((e) => ({ path: e.path, message: text(e) })) } : {}) }));
}
