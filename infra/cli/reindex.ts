import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from '#shared/data/conditions';
import { toCase, toItem } from '#shared/data/case-store';
import { caseModel } from '#shared/data/entities/cases';
import { ENTITY_ATTRIBUTE, VERSION_ATTRIBUTE, fromStored, isOf } from '#shared/data/model';
import { Expr, send, write, type Table } from '#shared/data/operations';
import { createReferenceStore } from '#shared/data/reference-store';
import { DepartmentTree } from '#shared/domain/reference/departments';

/**
 * Rewrites every stored case (a Scan, page by page) with the keys of today's indexes, for a table whose
 * items were written before an index existed (case number, reported month, nearness, urgent queue,
 * subtree queues — their keys from the department tree as stored when the run starts).
 * Each write is conditional on the item's version: a case that changed meanwhile was rewritten by its
 * own transition. Run once after a deploy that adds an index (docs/deploy.md). Maintenance only: the
 * one Scan of the code base lives here, with the city CLI, never on a request path.
 */
export async function reindexCases(table: Table, onPage?: (progress: { scanned: number; rewritten: number }) => void) {
  const progress = { scanned: 0, rewritten: 0 };
  const tree = new DepartmentTree((await createReferenceStore(table).currentDepartments()).departments);
  let start: Record<string, unknown> | undefined;
  do {
    const x = new Expr();
    const page = await table.client.send(
      new ScanCommand({
        TableName: table.name,
        FilterExpression: `${x.eq(ENTITY_ATTRIBUTE, caseModel.entity)} AND ${x.eq(VERSION_ATTRIBUTE, '1')}`,
        ...x.attributes(),
        Limit: 100,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const stored of (page.Items ?? []).filter((item) => isOf(caseModel, item))) {
      const item = fromStored(caseModel, stored);
      progress.scanned++;
      try {
        await send(table, write.put(table, caseModel, toItem(toCase(item), tree), { if: (c) => c.eq('version', item.version) }));
        progress.rewritten++;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    onPage?.(progress);
    start = page.LastEvaluatedKey;
  } while (start);
  return progress;
}
