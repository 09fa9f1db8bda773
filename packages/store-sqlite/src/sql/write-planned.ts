import { TaskStatus } from '@omc/core';
import { sql } from 'kysely';
import { HOLDER_PREFIX } from '../history-codec.js';
import { builder, compile, param } from '../query-builder.js';

/**
 * Write a planned task over the row it was planned from: a compare-and-set on the row's version, so a
 * row that anyone changed since it was read (another process, raw SQL) is left alone and re-read.
 * @internal
 */
export const writePlanned = compile(
  builder
    .updateTable('tasks')
    .set({
      status: param<string>('status'),
      assigned_agent: param('assigned_agent'),
      updated_at: param('updated_at'),
      started_at: param('started_at'),
      completed_at: param('completed_at'),
      result: param('result'),
      error: param('error'),
      metadata: param('metadata'),
      attempts: param<number>('attempts'),
      run_at: param('run_at'),
      lease_token: param<number>('lease_token'),
      lease_expires_at: param('lease_expires_at'),
      // `:historyLine` is null when the status did not change. A held task given another agent without
      // a status change gets a holder line, so the holder's later lines (which name no agent) name it.
      history: sql`case when ${param('historyLine')} is not null then coalesce(history, '') || ${param('historyLine')} when status in (${sql.lit(TaskStatus.CLAIMED)}, ${sql.lit(TaskStatus.IN_PROGRESS)}) and ${param('assigned_agent')} is not null and assigned_agent is not ${param('assigned_agent')} then coalesce(history, '') || ${sql.lit(HOLDER_PREFIX)} || json_quote(${param('assigned_agent')}) || char(10) else history end`,
      // A retried task waits again for those of its dependencies (still existing) not COMPLETED: counted
      // in the write itself, so no dependency can complete between the count and the write. Only through
      // its edges: a deleted dependency's id reused by a new task is not its dependency (that task's
      // completion, which releases through the edges, would never count it down).
      waiting_on: sql<number>`case when ${param('recount')} = 1 then (select count(*) from json_each(tasks.depends_on) as dependency join task_dependencies as edge on edge.depends_on_id = dependency.value and edge.task_id = tasks.id join tasks as other on other.id = dependency.value where other.status <> ${sql.lit(TaskStatus.COMPLETED)}) else waiting_on end`,
      version: sql<number>`${param<number>('version')} + 1`,
    })
    .where('seq', '=', param<number>('seq'))
    .where('id', '=', param<string>('id'))
    .where('version', '=', param<number>('version')),
);
