-- cancel-dependants.cancelDependants
-- parameters: :id, :id, :id, :ending, :now, null, null, :now, :id, :ending, :id, :ending
with recursive "doomed"("task_id", "cause", "depth") as (select "task_dependencies"."task_id", ? as "cause", 1 as "depth" from "task_dependencies" inner join "tasks" on "tasks"."id" = "task_dependencies"."task_id" where "task_dependencies"."depends_on_id" = ? and ("tasks"."status" = 'pending' or "tasks"."status" = 'claimed' or "tasks"."status" = 'in_progress') union select "task_dependencies"."task_id", doomed.task_id as "cause", doomed.depth + 1 as "depth" from "doomed" inner join "task_dependencies" on "task_dependencies"."depends_on_id" = "doomed"."task_id" inner join "tasks" on "tasks"."id" = "task_dependencies"."task_id" where ("tasks"."status" = 'pending' or "tasks"."status" = 'claimed' or "tasks"."status" = 'in_progress')) update "tasks" set "status" = 'cancelled', "error" = ('dependency ' || cause || ' ' || case when cause = ? then ? else 'was cancelled' end), "updated_at" = ?, "lease_expires_at" = ?, "run_at" = ?, "history" = coalesce(history, '') || substr("tasks"."status", 1, 2) || 'ca' || cast("tasks"."attempts" as integer) || '.' || cast(? - created_at as integer) || '' || case when ('dependency ' || cause || ' ' || case when cause = ? then ? else 'was cancelled' end) is null then '' else '!' || json_quote(('dependency ' || cause || ' ' || case when cause = ? then ? else 'was cancelled' end)) end || char(10), "version" = "tasks"."version" + 1 from (select "task_id" as "doomed_id", substr(min(printf('%08d', depth) || cause), 9) as "cause" from "doomed" group by "task_id") as "chosen" where "tasks"."id" = "chosen"."doomed_id";

-- claim.claimBatch
-- parameters: :agent, :now, :now, null, null, null, :now, :now, :leaseMs, :now, :now, :leaseMs, :now, :agent, :agent, :limit
update "tasks" set "status" = 'claimed', "assigned_agent" = ?, "updated_at" = ?, "started_at" = ?, "completed_at" = ?, "result" = ?, "run_at" = ?, "attempts" = attempts + 1, "lease_token" = lease_token + 1, "lease_expires_at" = case when timeout_ms is not null and ? + timeout_ms < ? + coalesce(lease_ms, ?) then ? + timeout_ms else ? + coalesce(lease_ms, ?) end, "history" = coalesce(history, '') || 'pe' || 'cl' || cast(attempts + 1 as integer) || '.' || cast(? - created_at as integer) || case when ? is null then '' else '' || json_quote(?) end || '' || char(10), "version" = "version" + 1 where "seq" in (select "seq" from tasks indexed by idx_tasks_claim where "status" = 'pending' and "run_at" is null and "waiting_on" = 0 order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer)) returning "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants";

-- claim.claimBatchExclusive
-- parameters: :agent, :now, :now, null, null, null, :now, :now, :leaseMs, :now, :now, :leaseMs, :now, :agent, :agent, :capabilities, :limit
update "tasks" set "status" = 'claimed', "assigned_agent" = ?, "updated_at" = ?, "started_at" = ?, "completed_at" = ?, "result" = ?, "run_at" = ?, "attempts" = attempts + 1, "lease_token" = lease_token + 1, "lease_expires_at" = case when timeout_ms is not null and ? + timeout_ms < ? + coalesce(lease_ms, ?) then ? + timeout_ms else ? + coalesce(lease_ms, ?) end, "history" = coalesce(history, '') || 'pe' || 'cl' || cast(attempts + 1 as integer) || '.' || cast(? - created_at as integer) || case when ? is null then '' else '' || json_quote(?) end || '' || char(10), "version" = "version" + 1 where "seq" in (select "seq" from tasks indexed by idx_tasks_requiring where "status" = 'pending' and "run_at" is null and "waiting_on" = 0 and "requires" is not null and not exists (select 1 from json_each(requires) as need where need.value not in (select cap.value from json_each(?) as cap)) order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer)) returning "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants";

-- claim.claimBatchWithin
-- parameters: :agent, :now, :now, null, null, null, :now, :now, :leaseMs, :now, :now, :leaseMs, :now, :agent, :agent, :capabilities, :limit
update "tasks" set "status" = 'claimed', "assigned_agent" = ?, "updated_at" = ?, "started_at" = ?, "completed_at" = ?, "result" = ?, "run_at" = ?, "attempts" = attempts + 1, "lease_token" = lease_token + 1, "lease_expires_at" = case when timeout_ms is not null and ? + timeout_ms < ? + coalesce(lease_ms, ?) then ? + timeout_ms else ? + coalesce(lease_ms, ?) end, "history" = coalesce(history, '') || 'pe' || 'cl' || cast(attempts + 1 as integer) || '.' || cast(? - created_at as integer) || case when ? is null then '' else '' || json_quote(?) end || '' || char(10), "version" = "version" + 1 where "seq" in (select "seq" from tasks indexed by idx_tasks_claim where "status" = 'pending' and "run_at" is null and "waiting_on" = 0 and (requires is null or not exists (select 1 from json_each(requires) as need where need.value not in (select cap.value from json_each(?) as cap))) order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer)) returning "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants";

-- claim.claimNext
-- parameters: :agent, :now, :now, null, null, null, :now, :now, :leaseMs, :now, :now, :leaseMs, :now, :agent, :agent
update "tasks" set "status" = 'claimed', "assigned_agent" = ?, "updated_at" = ?, "started_at" = ?, "completed_at" = ?, "result" = ?, "run_at" = ?, "attempts" = attempts + 1, "lease_token" = lease_token + 1, "lease_expires_at" = case when timeout_ms is not null and ? + timeout_ms < ? + coalesce(lease_ms, ?) then ? + timeout_ms else ? + coalesce(lease_ms, ?) end, "history" = coalesce(history, '') || 'pe' || 'cl' || cast(attempts + 1 as integer) || '.' || cast(? - created_at as integer) || case when ? is null then '' else '' || json_quote(?) end || '' || char(10), "version" = "version" + 1 where "seq" = (select "seq" from tasks indexed by idx_tasks_claim where "status" = 'pending' and "run_at" is null and "waiting_on" = 0 order by "priority" desc, "created_at" asc, "seq" asc limit 1) returning "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants";

-- complete.completeHeld
-- parameters: :result, null, :now, :now, null, :now, :id, :leaseToken, :now
update "tasks" set "status" = 'completed', "result" = ?, "error" = ?, "completed_at" = ?, "updated_at" = ?, "lease_expires_at" = ?, "history" = coalesce(history, '') || substr("status", 1, 2) || 'co' || cast("attempts" as integer) || '.' || cast(? - created_at as integer) || '' || '' || char(10), "version" = "version" + 1 where "id" = ? and "lease_token" = ? and (status = 'claimed' or status = 'in_progress') and "lease_expires_at" > ? and "has_dependants" = 0;

-- complete.completeHeldWithDependants
-- parameters: :result, null, :now, :now, null, :now, :id, :leaseToken, :now
update "tasks" set "status" = 'completed', "result" = ?, "error" = ?, "completed_at" = ?, "updated_at" = ?, "lease_expires_at" = ?, "history" = coalesce(history, '') || substr("status", 1, 2) || 'co' || cast("attempts" as integer) || '.' || cast(? - created_at as integer) || '' || '' || char(10), "version" = "version" + 1 where "id" = ? and "lease_token" = ? and (status = 'claimed' or status = 'in_progress') and "lease_expires_at" > ?;

-- counts.countHeld
-- parameters: none
select count(*) as "held", coalesce(sum(status = 'in_progress'), 0) as "in_progress" from tasks indexed by idx_tasks_lease where (status = 'claimed' or status = 'in_progress');

-- counts.countPending
-- parameters: none
select (select count(*) as "count" from tasks indexed by idx_tasks_claim where "status" = 'pending' and "run_at" is null and "waiting_on" = 0) + (select count(*) as "count" from tasks indexed by idx_tasks_delayed where "status" = 'pending' and "run_at" is not null and "waiting_on" = 0) + (select count(*) as "count" from tasks indexed by idx_tasks_waiting where "status" = 'pending' and "waiting_on" <> 0) as "count";

-- counts.selectCounts
-- parameters: none
select "name", "count" from "task_counts";

-- delete.deleteAll
-- parameters: none
delete from "tasks";

-- delete.deleteAllEdges
-- parameters: none
delete from "task_dependencies";

-- delete.deleteEdgesFrom
-- parameters: :id
delete from "task_dependencies" where "depends_on_id" = ?;

-- delete.deleteEdgesTo
-- parameters: :dependsOn, :id
delete from "task_dependencies" where "depends_on_id" in (select value from json_each(?)) and "task_id" = ?;

-- delete.deleteReturning
-- parameters: :id
delete from "tasks" where "id" = ? returning "status", "has_dependants", "depends_on";

-- heartbeat.heartbeatHeld
-- parameters: :now, :leaseMs, :now, :leaseMs, :id, :leaseToken, :now
update "tasks" set "lease_expires_at" = case when timeout_ms is not null and started_at + timeout_ms < ? + coalesce(lease_ms, ?) then started_at + timeout_ms else ? + coalesce(lease_ms, ?) end, "version" = "version" + 1 where "id" = ? and "lease_token" = ? and (status = 'claimed' or status = 'in_progress') and "lease_expires_at" > ? returning "lease_expires_at";

-- history.selectHistory
-- parameters: :id
select "history", "created_at" from "tasks" where "id" = ?;

-- insert.insertDependencies
-- parameters: :taskId, :ids
insert into "task_dependencies" ("depends_on_id", "task_id") select value as "depends_on_id", ? as "task_id" from json_each(?) as "batch";

-- insert.insertFullTask
-- parameters: :id, :title, :description, :status, :priority, :now, :updatedAt, :metadata, :maxAttempts, :runAt, :leaseMs, :timeoutMs, :requires, :error, :history, :idempotencyKey, :dependsOn, :waitingOn
insert into "tasks" ("id", "title", "description", "status", "priority", "created_at", "updated_at", "metadata", "max_attempts", "run_at", "lease_ms", "timeout_ms", "requires", "error", "history", "idempotency_key", "depends_on", "waiting_on") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict ("idempotency_key") where "idempotency_key" is not null do nothing;

-- insert.insertTask
-- parameters: :id, :title, :description, :priority, :now, :now, :metadata, :maxAttempts, :runAt, :leaseMs, :timeoutMs, :requires
insert into "tasks" ("id", "title", "description", "status", "priority", "created_at", "updated_at", "metadata", "max_attempts", "run_at", "lease_ms", "timeout_ms", "requires") values (?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?);

-- insert.insertTasksFromJson
-- parameters: :now, :now, :rows
insert into "tasks" ("id", "title", "description", "status", "priority", "created_at", "updated_at", "metadata", "max_attempts", "run_at", "lease_ms", "timeout_ms", "requires") select value ->> 0 as "id", value ->> 1 as "title", value ->> 2 as "description", 'pending' as "status", value ->> 3 as "priority", ? as "created_at", ? as "updated_at", value ->> 4 as "metadata", value ->> 5 as "max_attempts", value ->> 6 as "run_at", value ->> 7 as "lease_ms", value ->> 8 as "timeout_ms", value ->> 9 as "requires" from json_each(?) as "batch";

-- insert.markHasDependants
-- parameters: :ids
update "tasks" set "has_dependants" = 1, "version" = "version" + 1 where "id" in (select value from json_each(?)) and "has_dependants" = 0;

-- insert.selectByIdempotencyKey
-- parameters: :idempotencyKey
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "idempotency_key" = ?;

-- insert.selectStatusesOf
-- parameters: :ids
select "id", "status" from "tasks" where "id" in (select value from json_each(?));

-- release-dependants.releaseDependants
-- parameters: :now, :id
update "tasks" set "waiting_on" = waiting_on - 1, "run_at" = case when waiting_on = 1 and run_at <= ? then null else run_at end, "version" = "version" + 1 where "id" in (select "task_id" from "task_dependencies" where "depends_on_id" = ?) and ("status" = 'pending' or "status" = 'claimed' or "status" = 'in_progress') and "waiting_on" > 0;

-- select.selectById
-- parameters: :id
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "id" = ?;

-- start.startHeld
-- parameters: :now, :now, :id, :leaseToken, :now
update "tasks" set "status" = 'in_progress', "updated_at" = case when status = 'in_progress' then updated_at else ? end, "history" = case when status = 'in_progress' then history else coalesce(history, '') || 'cl' || 'in' || cast("attempts" as integer) || '.' || cast(? - created_at as integer) || '' || '' || char(10) end, "version" = "version" + 1 where "id" = ? and "lease_token" = ? and (status = 'claimed' or status = 'in_progress') and "lease_expires_at" > ?;

-- upkeep.promoteDue
-- parameters: null, :now
update tasks indexed by idx_tasks_delayed set "run_at" = ?, "version" = "version" + 1 where "status" = 'pending' and "run_at" is not null and "waiting_on" = 0 and "run_at" <= ?;

-- upkeep.reclaimExpired
-- parameters: :now, :now, null, null, null, :now, :now
update tasks indexed by idx_tasks_lease set "status" = case when attempts >= max_attempts then 'failed' else 'pending' end, "assigned_agent" = case when attempts >= max_attempts then assigned_agent end, "started_at" = case when attempts >= max_attempts then started_at end, "completed_at" = case when attempts >= max_attempts then ? end, "error" = ('attempt ' || attempts || ' of ' || max_attempts || ' by ' || coalesce(assigned_agent, 'an unknown agent') || ': ' || case when timeout_ms is not null and started_at + timeout_ms <= lease_expires_at then ('timed out after ' || timeout_ms || ' ms') else ('lease expired without a heartbeat') end), "history" = coalesce(history, '') || substr("status", 1, 2) || substr(case when attempts >= max_attempts then 'failed' else 'pending' end, 1, 2) || cast("attempts" as integer) || '.' || cast(? - created_at as integer) || '' || case when ('attempt ' || attempts || ' of ' || max_attempts || ' by ' || coalesce(assigned_agent, 'an unknown agent') || ': ' || case when timeout_ms is not null and started_at + timeout_ms <= lease_expires_at then ('timed out after ' || timeout_ms || ' ms') else ('lease expired without a heartbeat') end) is null then '' else '!' || json_quote(('attempt ' || attempts || ' of ' || max_attempts || ' by ' || coalesce(assigned_agent, 'an unknown agent') || ': ' || case when timeout_ms is not null and started_at + timeout_ms <= lease_expires_at then ('timed out after ' || timeout_ms || ' ms') else ('lease expired without a heartbeat') end)) end || char(10), "result" = ?, "run_at" = ?, "lease_expires_at" = ?, "updated_at" = ?, "version" = "version" + 1 where (status = 'claimed' or status = 'in_progress') and "lease_expires_at" <= ? returning "status", "id", "has_dependants";

-- upkeep.upkeepDue
-- parameters: :now, :now
select (select 1 as "due" from tasks indexed by idx_tasks_lease where (status = 'claimed' or status = 'in_progress') and "lease_expires_at" <= ? limit 1) as "expired", (select 1 as "due" from tasks indexed by idx_tasks_delayed where "status" = 'pending' and "run_at" is not null and "waiting_on" = 0 and "run_at" <= ? limit 1) as "ready";

-- write-planned.writePlanned
-- parameters: :status, :assigned_agent, :updated_at, :started_at, :completed_at, :result, :error, :metadata, :attempts, :run_at, :lease_token, :lease_expires_at, :historyLine, :historyLine, :assigned_agent, :assigned_agent, :assigned_agent, :recount, :version, :seq, :id, :version
update "tasks" set "status" = ?, "assigned_agent" = ?, "updated_at" = ?, "started_at" = ?, "completed_at" = ?, "result" = ?, "error" = ?, "metadata" = ?, "attempts" = ?, "run_at" = ?, "lease_token" = ?, "lease_expires_at" = ?, "history" = case when ? is not null then coalesce(history, '') || ? when status in ('claimed', 'in_progress') and ? is not null and assigned_agent is not ? then coalesce(history, '') || '@' || json_quote(?) || char(10) else history end, "waiting_on" = case when ? = 1 then (select count(*) from json_each(tasks.depends_on) as dependency join task_dependencies as edge on edge.depends_on_id = dependency.value and edge.task_id = tasks.id join tasks as other on other.id = dependency.value where other.status <> 'completed') else waiting_on end, "version" = ? + 1 where "seq" = ? and "id" = ? and "version" = ?;

-- list.selectFiltered()
-- parameters: none
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" order by "priority" desc, "created_at" asc, "seq" asc;

-- list.selectFiltered(offset)
-- parameters: :offset
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" order by "priority" desc, "created_at" asc, "seq" asc limit -1 offset cast(? as integer);

-- list.selectFiltered(limit)
-- parameters: :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectFiltered(limit, offset)
-- parameters: :limit, :offset
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer) offset cast(? as integer);

-- list.selectFiltered(priority)
-- parameters: :priority
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "priority" = ? order by "priority" desc, "created_at" asc, "seq" asc;

-- list.selectFiltered(priority, offset)
-- parameters: :priority, :offset
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "priority" = ? order by "priority" desc, "created_at" asc, "seq" asc limit -1 offset cast(? as integer);

-- list.selectFiltered(priority, limit)
-- parameters: :priority, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "priority" = ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectFiltered(priority, limit, offset)
-- parameters: :priority, :limit, :offset
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "priority" = ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer) offset cast(? as integer);

-- list.selectFiltered(assignedAgent)
-- parameters: :assignedAgent
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "assigned_agent" = ? order by "priority" desc, "created_at" asc, "seq" asc;

-- list.selectFiltered(assignedAgent, offset)
-- parameters: :assignedAgent, :offset
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "assigned_agent" = ? order by "priority" desc, "created_at" asc, "seq" asc limit -1 offset cast(? as integer);

-- list.selectFiltered(assignedAgent, limit)
-- parameters: :assignedAgent, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "assigned_agent" = ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectFiltered(assignedAgent, limit, offset)
-- parameters: :assignedAgent, :limit, :offset
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "assigned_agent" = ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer) offset cast(? as integer);

-- list.selectFiltered(assignedAgent, priority)
-- parameters: :assignedAgent, :priority
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "assigned_agent" = ? and "priority" = ? order by "priority" desc, "created_at" asc, "seq" asc;

-- list.selectFiltered(assignedAgent, priority, offset)
-- parameters: :assignedAgent, :priority, :offset
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "assigned_agent" = ? and "priority" = ? order by "priority" desc, "created_at" asc, "seq" asc limit -1 offset cast(? as integer);

-- list.selectFiltered(assignedAgent, priority, limit)
-- parameters: :assignedAgent, :priority, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "assigned_agent" = ? and "priority" = ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectFiltered(assignedAgent, priority, limit, offset)
-- parameters: :assignedAgent, :priority, :limit, :offset
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "assigned_agent" = ? and "priority" = ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer) offset cast(? as integer);

-- list.selectFiltered(status pending)
-- parameters: none
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from (select * from tasks indexed by idx_tasks_claim where "status" = 'pending' and "run_at" is null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_delayed where "status" = 'pending' and "run_at" is not null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_waiting where "status" = 'pending' and "waiting_on" <> 0) as "tasks" order by "priority" desc, "created_at" asc, "seq" asc;

-- list.selectFiltered(status pending, offset)
-- parameters: :offset
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from (select * from tasks indexed by idx_tasks_claim where "status" = 'pending' and "run_at" is null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_delayed where "status" = 'pending' and "run_at" is not null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_waiting where "status" = 'pending' and "waiting_on" <> 0) as "tasks" order by "priority" desc, "created_at" asc, "seq" asc limit -1 offset cast(? as integer);

-- list.selectFiltered(status pending, limit)
-- parameters: :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from (select * from tasks indexed by idx_tasks_claim where "status" = 'pending' and "run_at" is null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_delayed where "status" = 'pending' and "run_at" is not null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_waiting where "status" = 'pending' and "waiting_on" <> 0) as "tasks" order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectFiltered(status pending, limit, offset)
-- parameters: :limit, :offset
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from (select * from tasks indexed by idx_tasks_claim where "status" = 'pending' and "run_at" is null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_delayed where "status" = 'pending' and "run_at" is not null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_waiting where "status" = 'pending' and "waiting_on" <> 0) as "tasks" order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer) offset cast(? as integer);

-- list.selectFiltered(status pending, priority)
-- parameters: :priority
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from (select * from tasks indexed by idx_tasks_claim where "status" = 'pending' and "run_at" is null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_delayed where "status" = 'pending' and "run_at" is not null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_waiting where "status" = 'pending' and "waiting_on" <> 0) as "tasks" where "priority" = ? order by "priority" desc, "created_at" asc, "seq" asc;

-- list.selectFiltered(status pending, priority, offset)
-- parameters: :priority, :offset
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from (select * from tasks indexed by idx_tasks_claim where "status" = 'pending' and "run_at" is null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_delayed where "status" = 'pending' and "run_at" is not null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_waiting where "status" = 'pending' and "waiting_on" <> 0) as "tasks" where "priority" = ? order by "priority" desc, "created_at" asc, "seq" asc limit -1 offset cast(? as integer);

-- list.selectFiltered(status pending, priority, limit)
-- parameters: :priority, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from (select * from tasks indexed by idx_tasks_claim where "status" = 'pending' and "run_at" is null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_delayed where "status" = 'pending' and "run_at" is not null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_waiting where "status" = 'pending' and "waiting_on" <> 0) as "tasks" where "priority" = ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectFiltered(status pending, priority, limit, offset)
-- parameters: :priority, :limit, :offset
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from (select * from tasks indexed by idx_tasks_claim where "status" = 'pending' and "run_at" is null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_delayed where "status" = 'pending' and "run_at" is not null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_waiting where "status" = 'pending' and "waiting_on" <> 0) as "tasks" where "priority" = ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer) offset cast(? as integer);

-- list.selectFiltered(status pending, assignedAgent)
-- parameters: :assignedAgent
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from (select * from tasks indexed by idx_tasks_claim where "status" = 'pending' and "run_at" is null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_delayed where "status" = 'pending' and "run_at" is not null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_waiting where "status" = 'pending' and "waiting_on" <> 0) as "tasks" where "assigned_agent" = ? order by "priority" desc, "created_at" asc, "seq" asc;

-- list.selectFiltered(status pending, assignedAgent, offset)
-- parameters: :assignedAgent, :offset
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from (select * from tasks indexed by idx_tasks_claim where "status" = 'pending' and "run_at" is null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_delayed where "status" = 'pending' and "run_at" is not null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_waiting where "status" = 'pending' and "waiting_on" <> 0) as "tasks" where "assigned_agent" = ? order by "priority" desc, "created_at" asc, "seq" asc limit -1 offset cast(? as integer);

-- list.selectFiltered(status pending, assignedAgent, limit)
-- parameters: :assignedAgent, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from (select * from tasks indexed by idx_tasks_claim where "status" = 'pending' and "run_at" is null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_delayed where "status" = 'pending' and "run_at" is not null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_waiting where "status" = 'pending' and "waiting_on" <> 0) as "tasks" where "assigned_agent" = ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectFiltered(status pending, assignedAgent, limit, offset)
-- parameters: :assignedAgent, :limit, :offset
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from (select * from tasks indexed by idx_tasks_claim where "status" = 'pending' and "run_at" is null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_delayed where "status" = 'pending' and "run_at" is not null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_waiting where "status" = 'pending' and "waiting_on" <> 0) as "tasks" where "assigned_agent" = ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer) offset cast(? as integer);

-- list.selectFiltered(status pending, assignedAgent, priority)
-- parameters: :assignedAgent, :priority
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from (select * from tasks indexed by idx_tasks_claim where "status" = 'pending' and "run_at" is null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_delayed where "status" = 'pending' and "run_at" is not null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_waiting where "status" = 'pending' and "waiting_on" <> 0) as "tasks" where "assigned_agent" = ? and "priority" = ? order by "priority" desc, "created_at" asc, "seq" asc;

-- list.selectFiltered(status pending, assignedAgent, priority, offset)
-- parameters: :assignedAgent, :priority, :offset
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from (select * from tasks indexed by idx_tasks_claim where "status" = 'pending' and "run_at" is null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_delayed where "status" = 'pending' and "run_at" is not null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_waiting where "status" = 'pending' and "waiting_on" <> 0) as "tasks" where "assigned_agent" = ? and "priority" = ? order by "priority" desc, "created_at" asc, "seq" asc limit -1 offset cast(? as integer);

-- list.selectFiltered(status pending, assignedAgent, priority, limit)
-- parameters: :assignedAgent, :priority, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from (select * from tasks indexed by idx_tasks_claim where "status" = 'pending' and "run_at" is null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_delayed where "status" = 'pending' and "run_at" is not null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_waiting where "status" = 'pending' and "waiting_on" <> 0) as "tasks" where "assigned_agent" = ? and "priority" = ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectFiltered(status pending, assignedAgent, priority, limit, offset)
-- parameters: :assignedAgent, :priority, :limit, :offset
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from (select * from tasks indexed by idx_tasks_claim where "status" = 'pending' and "run_at" is null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_delayed where "status" = 'pending' and "run_at" is not null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_waiting where "status" = 'pending' and "waiting_on" <> 0) as "tasks" where "assigned_agent" = ? and "priority" = ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer) offset cast(? as integer);

-- list.selectFiltered(status claimed)
-- parameters: :status
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from tasks indexed by idx_tasks_lease where (status = 'claimed' or status = 'in_progress') and "status" = ? order by "priority" desc, "created_at" asc, "seq" asc;

-- list.selectFiltered(status claimed, offset)
-- parameters: :status, :offset
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from tasks indexed by idx_tasks_lease where (status = 'claimed' or status = 'in_progress') and "status" = ? order by "priority" desc, "created_at" asc, "seq" asc limit -1 offset cast(? as integer);

-- list.selectFiltered(status claimed, limit)
-- parameters: :status, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from tasks indexed by idx_tasks_lease where (status = 'claimed' or status = 'in_progress') and "status" = ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectFiltered(status claimed, limit, offset)
-- parameters: :status, :limit, :offset
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from tasks indexed by idx_tasks_lease where (status = 'claimed' or status = 'in_progress') and "status" = ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer) offset cast(? as integer);

-- list.selectFiltered(status claimed, priority)
-- parameters: :status, :priority
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from tasks indexed by idx_tasks_lease where (status = 'claimed' or status = 'in_progress') and "status" = ? and "priority" = ? order by "priority" desc, "created_at" asc, "seq" asc;

-- list.selectFiltered(status claimed, priority, offset)
-- parameters: :status, :priority, :offset
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from tasks indexed by idx_tasks_lease where (status = 'claimed' or status = 'in_progress') and "status" = ? and "priority" = ? order by "priority" desc, "created_at" asc, "seq" asc limit -1 offset cast(? as integer);

-- list.selectFiltered(status claimed, priority, limit)
-- parameters: :status, :priority, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from tasks indexed by idx_tasks_lease where (status = 'claimed' or status = 'in_progress') and "status" = ? and "priority" = ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectFiltered(status claimed, priority, limit, offset)
-- parameters: :status, :priority, :limit, :offset
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from tasks indexed by idx_tasks_lease where (status = 'claimed' or status = 'in_progress') and "status" = ? and "priority" = ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer) offset cast(? as integer);

-- list.selectFiltered(status claimed, assignedAgent)
-- parameters: :status, :assignedAgent
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from tasks indexed by idx_tasks_lease where (status = 'claimed' or status = 'in_progress') and "status" = ? and "assigned_agent" = ? order by "priority" desc, "created_at" asc, "seq" asc;

-- list.selectFiltered(status claimed, assignedAgent, offset)
-- parameters: :status, :assignedAgent, :offset
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from tasks indexed by idx_tasks_lease where (status = 'claimed' or status = 'in_progress') and "status" = ? and "assigned_agent" = ? order by "priority" desc, "created_at" asc, "seq" asc limit -1 offset cast(? as integer);

-- list.selectFiltered(status claimed, assignedAgent, limit)
-- parameters: :status, :assignedAgent, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from tasks indexed by idx_tasks_lease where (status = 'claimed' or status = 'in_progress') and "status" = ? and "assigned_agent" = ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectFiltered(status claimed, assignedAgent, limit, offset)
-- parameters: :status, :assignedAgent, :limit, :offset
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from tasks indexed by idx_tasks_lease where (status = 'claimed' or status = 'in_progress') and "status" = ? and "assigned_agent" = ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer) offset cast(? as integer);

-- list.selectFiltered(status claimed, assignedAgent, priority)
-- parameters: :status, :assignedAgent, :priority
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from tasks indexed by idx_tasks_lease where (status = 'claimed' or status = 'in_progress') and "status" = ? and "assigned_agent" = ? and "priority" = ? order by "priority" desc, "created_at" asc, "seq" asc;

-- list.selectFiltered(status claimed, assignedAgent, priority, offset)
-- parameters: :status, :assignedAgent, :priority, :offset
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from tasks indexed by idx_tasks_lease where (status = 'claimed' or status = 'in_progress') and "status" = ? and "assigned_agent" = ? and "priority" = ? order by "priority" desc, "created_at" asc, "seq" asc limit -1 offset cast(? as integer);

-- list.selectFiltered(status claimed, assignedAgent, priority, limit)
-- parameters: :status, :assignedAgent, :priority, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from tasks indexed by idx_tasks_lease where (status = 'claimed' or status = 'in_progress') and "status" = ? and "assigned_agent" = ? and "priority" = ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectFiltered(status claimed, assignedAgent, priority, limit, offset)
-- parameters: :status, :assignedAgent, :priority, :limit, :offset
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from tasks indexed by idx_tasks_lease where (status = 'claimed' or status = 'in_progress') and "status" = ? and "assigned_agent" = ? and "priority" = ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer) offset cast(? as integer);

-- list.selectFiltered(status completed)
-- parameters: :status
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "status" = ? order by "priority" desc, "created_at" asc, "seq" asc;

-- list.selectFiltered(status completed, offset)
-- parameters: :status, :offset
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "status" = ? order by "priority" desc, "created_at" asc, "seq" asc limit -1 offset cast(? as integer);

-- list.selectFiltered(status completed, limit)
-- parameters: :status, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "status" = ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectFiltered(status completed, limit, offset)
-- parameters: :status, :limit, :offset
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "status" = ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer) offset cast(? as integer);

-- list.selectFiltered(status completed, priority)
-- parameters: :status, :priority
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "status" = ? and "priority" = ? order by "priority" desc, "created_at" asc, "seq" asc;

-- list.selectFiltered(status completed, priority, offset)
-- parameters: :status, :priority, :offset
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "status" = ? and "priority" = ? order by "priority" desc, "created_at" asc, "seq" asc limit -1 offset cast(? as integer);

-- list.selectFiltered(status completed, priority, limit)
-- parameters: :status, :priority, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "status" = ? and "priority" = ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectFiltered(status completed, priority, limit, offset)
-- parameters: :status, :priority, :limit, :offset
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "status" = ? and "priority" = ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer) offset cast(? as integer);

-- list.selectFiltered(status completed, assignedAgent)
-- parameters: :status, :assignedAgent
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "status" = ? and "assigned_agent" = ? order by "priority" desc, "created_at" asc, "seq" asc;

-- list.selectFiltered(status completed, assignedAgent, offset)
-- parameters: :status, :assignedAgent, :offset
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "status" = ? and "assigned_agent" = ? order by "priority" desc, "created_at" asc, "seq" asc limit -1 offset cast(? as integer);

-- list.selectFiltered(status completed, assignedAgent, limit)
-- parameters: :status, :assignedAgent, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "status" = ? and "assigned_agent" = ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectFiltered(status completed, assignedAgent, limit, offset)
-- parameters: :status, :assignedAgent, :limit, :offset
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "status" = ? and "assigned_agent" = ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer) offset cast(? as integer);

-- list.selectFiltered(status completed, assignedAgent, priority)
-- parameters: :status, :assignedAgent, :priority
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "status" = ? and "assigned_agent" = ? and "priority" = ? order by "priority" desc, "created_at" asc, "seq" asc;

-- list.selectFiltered(status completed, assignedAgent, priority, offset)
-- parameters: :status, :assignedAgent, :priority, :offset
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "status" = ? and "assigned_agent" = ? and "priority" = ? order by "priority" desc, "created_at" asc, "seq" asc limit -1 offset cast(? as integer);

-- list.selectFiltered(status completed, assignedAgent, priority, limit)
-- parameters: :status, :assignedAgent, :priority, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "status" = ? and "assigned_agent" = ? and "priority" = ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectFiltered(status completed, assignedAgent, priority, limit, offset)
-- parameters: :status, :assignedAgent, :priority, :limit, :offset
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "status" = ? and "assigned_agent" = ? and "priority" = ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer) offset cast(? as integer);

-- list.selectAfter(same-priority)
-- parameters: :cursorPriority, :cursorCreatedAt, :cursorSeq, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "priority" = ? and (created_at, seq) > (?, ?) order by "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectAfter(same-priority, priority)
-- parameters: :priority, :cursorPriority, :cursorCreatedAt, :cursorSeq, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "priority" = ? and "priority" = ? and (created_at, seq) > (?, ?) order by "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectAfter(same-priority, assignedAgent)
-- parameters: :assignedAgent, :cursorPriority, :cursorCreatedAt, :cursorSeq, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "assigned_agent" = ? and "priority" = ? and (created_at, seq) > (?, ?) order by "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectAfter(same-priority, assignedAgent, priority)
-- parameters: :assignedAgent, :priority, :cursorPriority, :cursorCreatedAt, :cursorSeq, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "assigned_agent" = ? and "priority" = ? and "priority" = ? and (created_at, seq) > (?, ?) order by "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectAfter(same-priority, status pending)
-- parameters: :cursorPriority, :cursorCreatedAt, :cursorSeq, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from (select * from tasks indexed by idx_tasks_claim where "status" = 'pending' and "run_at" is null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_delayed where "status" = 'pending' and "run_at" is not null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_waiting where "status" = 'pending' and "waiting_on" <> 0) as "tasks" where "priority" = ? and (created_at, seq) > (?, ?) order by "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectAfter(same-priority, status pending, priority)
-- parameters: :priority, :cursorPriority, :cursorCreatedAt, :cursorSeq, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from (select * from tasks indexed by idx_tasks_claim where "status" = 'pending' and "run_at" is null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_delayed where "status" = 'pending' and "run_at" is not null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_waiting where "status" = 'pending' and "waiting_on" <> 0) as "tasks" where "priority" = ? and "priority" = ? and (created_at, seq) > (?, ?) order by "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectAfter(same-priority, status pending, assignedAgent)
-- parameters: :assignedAgent, :cursorPriority, :cursorCreatedAt, :cursorSeq, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from (select * from tasks indexed by idx_tasks_claim where "status" = 'pending' and "run_at" is null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_delayed where "status" = 'pending' and "run_at" is not null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_waiting where "status" = 'pending' and "waiting_on" <> 0) as "tasks" where "assigned_agent" = ? and "priority" = ? and (created_at, seq) > (?, ?) order by "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectAfter(same-priority, status pending, assignedAgent, priority)
-- parameters: :assignedAgent, :priority, :cursorPriority, :cursorCreatedAt, :cursorSeq, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from (select * from tasks indexed by idx_tasks_claim where "status" = 'pending' and "run_at" is null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_delayed where "status" = 'pending' and "run_at" is not null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_waiting where "status" = 'pending' and "waiting_on" <> 0) as "tasks" where "assigned_agent" = ? and "priority" = ? and "priority" = ? and (created_at, seq) > (?, ?) order by "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectAfter(same-priority, status claimed)
-- parameters: :status, :cursorPriority, :cursorCreatedAt, :cursorSeq, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from tasks indexed by idx_tasks_lease where (status = 'claimed' or status = 'in_progress') and "status" = ? and "priority" = ? and (created_at, seq) > (?, ?) order by "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectAfter(same-priority, status claimed, priority)
-- parameters: :status, :priority, :cursorPriority, :cursorCreatedAt, :cursorSeq, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from tasks indexed by idx_tasks_lease where (status = 'claimed' or status = 'in_progress') and "status" = ? and "priority" = ? and "priority" = ? and (created_at, seq) > (?, ?) order by "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectAfter(same-priority, status claimed, assignedAgent)
-- parameters: :status, :assignedAgent, :cursorPriority, :cursorCreatedAt, :cursorSeq, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from tasks indexed by idx_tasks_lease where (status = 'claimed' or status = 'in_progress') and "status" = ? and "assigned_agent" = ? and "priority" = ? and (created_at, seq) > (?, ?) order by "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectAfter(same-priority, status claimed, assignedAgent, priority)
-- parameters: :status, :assignedAgent, :priority, :cursorPriority, :cursorCreatedAt, :cursorSeq, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from tasks indexed by idx_tasks_lease where (status = 'claimed' or status = 'in_progress') and "status" = ? and "assigned_agent" = ? and "priority" = ? and "priority" = ? and (created_at, seq) > (?, ?) order by "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectAfter(same-priority, status completed)
-- parameters: :status, :cursorPriority, :cursorCreatedAt, :cursorSeq, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "status" = ? and "priority" = ? and (created_at, seq) > (?, ?) order by "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectAfter(same-priority, status completed, priority)
-- parameters: :status, :priority, :cursorPriority, :cursorCreatedAt, :cursorSeq, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "status" = ? and "priority" = ? and "priority" = ? and (created_at, seq) > (?, ?) order by "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectAfter(same-priority, status completed, assignedAgent)
-- parameters: :status, :assignedAgent, :cursorPriority, :cursorCreatedAt, :cursorSeq, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "status" = ? and "assigned_agent" = ? and "priority" = ? and (created_at, seq) > (?, ?) order by "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectAfter(same-priority, status completed, assignedAgent, priority)
-- parameters: :status, :assignedAgent, :priority, :cursorPriority, :cursorCreatedAt, :cursorSeq, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "status" = ? and "assigned_agent" = ? and "priority" = ? and "priority" = ? and (created_at, seq) > (?, ?) order by "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectAfter(lower-priority)
-- parameters: :cursorPriority, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "priority" < ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectAfter(lower-priority, priority)
-- parameters: :priority, :cursorPriority, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "priority" = ? and "priority" < ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectAfter(lower-priority, assignedAgent)
-- parameters: :assignedAgent, :cursorPriority, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "assigned_agent" = ? and "priority" < ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectAfter(lower-priority, assignedAgent, priority)
-- parameters: :assignedAgent, :priority, :cursorPriority, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "assigned_agent" = ? and "priority" = ? and "priority" < ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectAfter(lower-priority, status pending)
-- parameters: :cursorPriority, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from (select * from tasks indexed by idx_tasks_claim where "status" = 'pending' and "run_at" is null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_delayed where "status" = 'pending' and "run_at" is not null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_waiting where "status" = 'pending' and "waiting_on" <> 0) as "tasks" where "priority" < ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectAfter(lower-priority, status pending, priority)
-- parameters: :priority, :cursorPriority, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from (select * from tasks indexed by idx_tasks_claim where "status" = 'pending' and "run_at" is null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_delayed where "status" = 'pending' and "run_at" is not null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_waiting where "status" = 'pending' and "waiting_on" <> 0) as "tasks" where "priority" = ? and "priority" < ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectAfter(lower-priority, status pending, assignedAgent)
-- parameters: :assignedAgent, :cursorPriority, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from (select * from tasks indexed by idx_tasks_claim where "status" = 'pending' and "run_at" is null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_delayed where "status" = 'pending' and "run_at" is not null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_waiting where "status" = 'pending' and "waiting_on" <> 0) as "tasks" where "assigned_agent" = ? and "priority" < ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectAfter(lower-priority, status pending, assignedAgent, priority)
-- parameters: :assignedAgent, :priority, :cursorPriority, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from (select * from tasks indexed by idx_tasks_claim where "status" = 'pending' and "run_at" is null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_delayed where "status" = 'pending' and "run_at" is not null and "waiting_on" = 0 union all select * from tasks indexed by idx_tasks_waiting where "status" = 'pending' and "waiting_on" <> 0) as "tasks" where "assigned_agent" = ? and "priority" = ? and "priority" < ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectAfter(lower-priority, status claimed)
-- parameters: :status, :cursorPriority, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from tasks indexed by idx_tasks_lease where (status = 'claimed' or status = 'in_progress') and "status" = ? and "priority" < ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectAfter(lower-priority, status claimed, priority)
-- parameters: :status, :priority, :cursorPriority, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from tasks indexed by idx_tasks_lease where (status = 'claimed' or status = 'in_progress') and "status" = ? and "priority" = ? and "priority" < ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectAfter(lower-priority, status claimed, assignedAgent)
-- parameters: :status, :assignedAgent, :cursorPriority, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from tasks indexed by idx_tasks_lease where (status = 'claimed' or status = 'in_progress') and "status" = ? and "assigned_agent" = ? and "priority" < ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectAfter(lower-priority, status claimed, assignedAgent, priority)
-- parameters: :status, :assignedAgent, :priority, :cursorPriority, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from tasks indexed by idx_tasks_lease where (status = 'claimed' or status = 'in_progress') and "status" = ? and "assigned_agent" = ? and "priority" = ? and "priority" < ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectAfter(lower-priority, status completed)
-- parameters: :status, :cursorPriority, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "status" = ? and "priority" < ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectAfter(lower-priority, status completed, priority)
-- parameters: :status, :priority, :cursorPriority, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "status" = ? and "priority" = ? and "priority" < ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectAfter(lower-priority, status completed, assignedAgent)
-- parameters: :status, :assignedAgent, :cursorPriority, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "status" = ? and "assigned_agent" = ? and "priority" < ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer);

-- list.selectAfter(lower-priority, status completed, assignedAgent, priority)
-- parameters: :status, :assignedAgent, :priority, :cursorPriority, :limit
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "tasks" where "status" = ? and "assigned_agent" = ? and "priority" = ? and "priority" < ? order by "priority" desc, "created_at" asc, "seq" asc limit cast(? as integer);
