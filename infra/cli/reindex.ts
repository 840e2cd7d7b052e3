import { DeleteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure, withConflictRetry } from '#shared/data/conditions';
import { toCase, toItem } from '#shared/data/case-store';
import { caseModel, legacyFieldTaskEntity, taskModel } from '#shared/data/entities/cases';
import { apiKeyModel } from '#shared/data/entities/open311';
import { ENTITY_ATTRIBUTE, VERSION_ATTRIBUTE, fromStored, isOf } from '#shared/data/model';
import { Expr, send, transact, write, type Table } from '#shared/data/operations';
import { TABLE } from '#shared/data/table';
import { createReferenceStore } from '#shared/data/reference-store';
import { taskOf } from '#shared/domain/cases/tasks';
import { DepartmentTree } from '#shared/domain/reference/departments';

/**
 * Rewrites every stored case (a Scan, page by page) with the keys of today's indexes, for a table whose
 * items were written before an index existed (case number, reported month, nearness, urgent queue,
 * subtree queues — their keys from the department tree as stored when the run starts), and with the
 * task item it gives (我的任务: put, or deleted when it gives none) in the same transaction. The task
 * items of field checks stored before task items (`fieldTask`) are deleted. Open311 API keys created
 * before their listing existed (no gsi4 keys: `GET /v1/admin/api-keys` did not list them) are put again
 * with them, on condition that the key is still there with the same hash (a revoked key stays revoked).
 * Each case's transaction is conditional on its version: a case that changed meanwhile was rewritten by
 * its own transition. Run once after a deploy that adds an index or item kind (docs/deploy.md).
 * Maintenance only: the one Scan of the code base lives here, with the city CLI, never on a request path.
 */
export async function reindexCases(table: Table, onPage?: (progress: { scanned: number; rewritten: number }) => void) {
  const progress = { scanned: 0, rewritten: 0, apiKeysListed: 0 };
  const tree = new DepartmentTree((await createReferenceStore(table).currentDepartments()).departments);
  let start: Record<string, unknown> | undefined;
  do {
    const x = new Expr();
    const page = await table.client.send(
      new ScanCommand({
        TableName: table.name,
        FilterExpression: `(${x.eq(ENTITY_ATTRIBUTE, caseModel.entity)} OR ${x.eq(ENTITY_ATTRIBUTE, legacyFieldTaskEntity)} OR (${x.eq(ENTITY_ATTRIBUTE, apiKeyModel.entity)} AND ${x.notExists(TABLE.indexes.gsi4.partitionKey)})) AND ${x.eq(VERSION_ATTRIBUTE, '1')}`,
        ...x.attributes(),
        Limit: 100,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const stored of page.Items ?? []) {
      if (stored[ENTITY_ATTRIBUTE] === legacyFieldTaskEntity) {
        await table.client.send(new DeleteCommand({ TableName: table.name, Key: { [TABLE.partitionKey]: stored[TABLE.partitionKey], [TABLE.sortKey]: stored[TABLE.sortKey] } }));
        continue;
      }
      if (isOf(apiKeyModel, stored)) {
        const key = fromStored(apiKeyModel, stored);
        try {
          await send(table, write.put(table, apiKeyModel, key, { if: (e) => e.eq('secretHash', key.secretHash) }));
          progress.apiKeysListed++;
        } catch (error) {
          if (!isConditionFailure(error)) throw error; // revoked meanwhile: nothing to list
        }
        continue;
      }
      if (!isOf(caseModel, stored)) continue;
      const item = fromStored(caseModel, stored);
      const c = toCase(item);
      const task = taskOf(c);
      progress.scanned++;
      const result = await withConflictRetry(() => transact(table, [
        ['case', write.put(table, caseModel, toItem(c, tree), { if: (e) => e.eq('version', item.version) })],
        ['task', task ? write.put(table, taskModel, task) : write.delete(table, taskModel, { caseId: c.id })],
      ]));
      if (!result.canceled) progress.rewritten++;
      else if (result.codes.case !== 'ConditionalCheckFailed') throw new Error(`Reindex of case ${c.id} cancelled: ${JSON.stringify(result.codes)}`);
    }
    onPage?.(progress);
    start = page.LastEvaluatedKey;
  } while (start);
  return progress;
}
