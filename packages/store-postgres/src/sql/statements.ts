import { type Builder, builderFor, type Statement } from '../query-builder.js';
import { claimReady, claimUnlessUpkeepDue } from './claim.js';
import { clearAll, deleteTask, dropEdges } from './delete.js';
import { cancelDependantsLevel, releaseDependants, releaseDependantsOfAll } from './dependants.js';
import { completeHeld, completeHeldAll, heartbeatHeld, startHeld, startHeldAll } from './held-writes.js';
import {
  insertCheckedTask,
  insertTask,
  insertTasks,
  lockIdempotencyKey,
  selectByIdempotencyKey,
  selectStatuses,
} from './insert.js';
import { selectCounts, selectHistory, selectTask } from './reads.js';
import { promoteDue, reclaimExpired, upkeepDue } from './upkeep.js';
import { lockDependencies, writePlanned } from './write-planned.js';

function build(b: Builder, schema: string) {
  return {
    selectTask: selectTask(b),
    selectByIdempotencyKey: selectByIdempotencyKey(b),
    lockIdempotencyKey: lockIdempotencyKey(b),
    selectStatuses: selectStatuses(b, 'read'),
    selectStatusesLocked: selectStatuses(b, 'lock'),
    selectCounts: selectCounts(b),
    selectHistory: selectHistory(b),
    insertTask: insertTask(b),
    insertTasks: insertTasks(b),
    insertCheckedTask: insertCheckedTask(b),
    upkeepDue: upkeepDue(b),
    reclaimExpired: reclaimExpired(b),
    promoteDue: promoteDue(b),
    claimAny: claimReady(b, 'any'),
    claimWithin: claimReady(b, 'within'),
    claimExclusive: claimReady(b, 'exclusive'),
    guardedClaimAny: claimUnlessUpkeepDue(b, 'any'),
    guardedClaimWithin: claimUnlessUpkeepDue(b, 'within'),
    guardedClaimExclusive: claimUnlessUpkeepDue(b, 'exclusive'),
    startHeld: startHeld(b),
    heartbeatHeld: heartbeatHeld(b),
    completeWithoutDependants: completeHeld(b, 'none'),
    completeAny: completeHeld(b, 'any'),
    startHeldAll: startHeldAll(b),
    completeAllWithoutDependants: completeHeldAll(b, 'none'),
    completeAllAny: completeHeldAll(b, 'any'),
    releaseDependants: releaseDependants(b),
    releaseDependantsOfAll: releaseDependantsOfAll(b),
    cancelDependantsLevel: cancelDependantsLevel(b),
    writePlanned: writePlanned(b),
    lockDependencies: lockDependencies(b),
    deleteTask: deleteTask(b),
    dropEdges: dropEdges(b),
    clearAll: clearAll(schema),
  } satisfies Record<string, Statement>;
}

/** Every statement of the driver, compiled for one schema. @internal */
export type Statements = ReturnType<typeof build>;

const cache = new Map<string, Statements>();

/** The statements of `schema`, compiled once per process. @internal */
export function statementsFor(schema: string): Statements {
  let statements = cache.get(schema);
  if (!statements) {
    statements = build(builderFor(schema), schema);
    cache.set(schema, statements);
  }
  return statements;
}
