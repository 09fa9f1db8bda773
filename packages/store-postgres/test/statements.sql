-- cancelDependantsLevel
-- parameters: $frontier, $frontier, $ending, $now, null, null, $now
with "doomed" as (select "seq" as "doomed_seq", "status" as "doomed_status", (select min(edge.depends_on_id collate "C") as "cause" from "omc"."task_dependencies" as "edge" where "edge"."task_id" = "omc"."tasks"."id" and edge.depends_on_id = any($1::text[])) as "doomed_cause" from "omc"."tasks" where "id" in (select "task_id" from "omc"."task_dependencies" where depends_on_id = any($2::text[])) and "status" in ('pending', 'claimed', 'in_progress') for update), "cancelled" as (update "omc"."tasks" set "status" = 'cancelled', "error" = ('dependency ' || doomed_cause || ' ' || $3::text), "updated_at" = $4::bigint, "lease_expires_at" = $5, "run_at" = $6, "version" = version + 1 from "doomed" where "omc"."tasks"."seq" = "doomed"."doomed_seq" returning "omc"."tasks"."id", "omc"."tasks"."assigned_agent", "omc"."tasks"."attempts", "omc"."tasks"."error", "doomed"."doomed_status"), "logged" as (insert into "omc"."task_history" ("task_id", "from_status", "to_status", "agent", "attempt", "at", "reason") select "id", "doomed_status", 'cancelled', "assigned_agent", "attempts", $7::bigint, "error" from "cancelled" where true) select "id" from "cancelled";

-- claimAny
-- parameters: $agent, $now, $now, null, null, null, $now, $now, $leaseMs, $now, $now, $leaseMs, $limit, $now
with "claimed" as (update "omc"."tasks" set "status" = 'claimed', "assigned_agent" = $1::text, "updated_at" = $2::bigint, "started_at" = $3::bigint, "completed_at" = $4, "result" = $5, "run_at" = $6, "attempts" = "attempts" + 1, "lease_token" = "lease_token" + 1, "lease_expires_at" = case when timeout_ms is not null and $7::bigint + timeout_ms < $8::bigint + coalesce(lease_ms, $9::bigint) then $10::bigint + timeout_ms else $11::bigint + coalesce(lease_ms, $12::bigint) end, "version" = version + 1 where "seq" in (select "seq" from "omc"."tasks" where status = 'pending' and run_at is null and waiting_on = 0 order by "priority" desc, "created_at" asc, "seq" asc limit $13::int for update skip locked) returning "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants"), "logged" as (insert into "omc"."task_history" ("task_id", "from_status", "to_status", "agent", "attempt", "at", "reason") select "id", 'pending', 'claimed', "assigned_agent", "attempts", $14::bigint, null from "claimed" where true) select * from "claimed";

-- claimExclusive
-- parameters: $agent, $now, $now, null, null, null, $now, $now, $leaseMs, $now, $now, $leaseMs, $capabilities, $limit, $now
with "claimed" as (update "omc"."tasks" set "status" = 'claimed', "assigned_agent" = $1::text, "updated_at" = $2::bigint, "started_at" = $3::bigint, "completed_at" = $4, "result" = $5, "run_at" = $6, "attempts" = "attempts" + 1, "lease_token" = "lease_token" + 1, "lease_expires_at" = case when timeout_ms is not null and $7::bigint + timeout_ms < $8::bigint + coalesce(lease_ms, $9::bigint) then $10::bigint + timeout_ms else $11::bigint + coalesce(lease_ms, $12::bigint) end, "version" = version + 1 where "seq" in (select "seq" from "omc"."tasks" where status = 'pending' and run_at is null and waiting_on = 0 and requires is not null and requires <@ $13::text[] order by "priority" desc, "created_at" asc, "seq" asc limit $14::int for update skip locked) returning "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants"), "logged" as (insert into "omc"."task_history" ("task_id", "from_status", "to_status", "agent", "attempt", "at", "reason") select "id", 'pending', 'claimed', "assigned_agent", "attempts", $15::bigint, null from "claimed" where true) select * from "claimed";

-- claimWithin
-- parameters: $agent, $now, $now, null, null, null, $now, $now, $leaseMs, $now, $now, $leaseMs, $capabilities, $limit, $now
with "claimed" as (update "omc"."tasks" set "status" = 'claimed', "assigned_agent" = $1::text, "updated_at" = $2::bigint, "started_at" = $3::bigint, "completed_at" = $4, "result" = $5, "run_at" = $6, "attempts" = "attempts" + 1, "lease_token" = "lease_token" + 1, "lease_expires_at" = case when timeout_ms is not null and $7::bigint + timeout_ms < $8::bigint + coalesce(lease_ms, $9::bigint) then $10::bigint + timeout_ms else $11::bigint + coalesce(lease_ms, $12::bigint) end, "version" = version + 1 where "seq" in (select "seq" from "omc"."tasks" where status = 'pending' and run_at is null and waiting_on = 0 and (requires is null or requires <@ $13::text[]) order by "priority" desc, "created_at" asc, "seq" asc limit $14::int for update skip locked) returning "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants"), "logged" as (insert into "omc"."task_history" ("task_id", "from_status", "to_status", "agent", "attempt", "at", "reason") select "id", 'pending', 'claimed', "assigned_agent", "attempts", $15::bigint, null from "claimed" where true) select * from "claimed";

-- clearAll
-- parameters: 
truncate "omc"."tasks", "omc"."task_dependencies", "omc"."task_history";

-- completeAny
-- parameters: $id, $leaseToken, $now, $result, null, $now, $now, null, $now
with "current" as (select "seq" as "current_seq", "status" as "current_status" from "omc"."tasks" where ("id" = $1::text and "lease_token" = $2::bigint and status in ('claimed', 'in_progress') and "lease_expires_at" > $3::bigint) for update), "completed" as (update "omc"."tasks" set "status" = 'completed', "result" = $4::text, "error" = $5, "completed_at" = $6::bigint, "updated_at" = $7::bigint, "lease_expires_at" = $8, "version" = version + 1 from "current" where "omc"."tasks"."seq" = "current"."current_seq" returning "omc"."tasks"."id", "omc"."tasks"."assigned_agent", "omc"."tasks"."attempts", "omc"."tasks"."has_dependants", "current"."current_status"), "logged" as (insert into "omc"."task_history" ("task_id", "from_status", "to_status", "agent", "attempt", "at", "reason") select "id", "current_status", 'completed', "assigned_agent", "attempts", $9::bigint, null from "completed" where true) select "has_dependants" from "completed";

-- completeWithoutDependants
-- parameters: $id, $leaseToken, $now, $result, null, $now, $now, null, $now
with "current" as (select "seq" as "current_seq", "status" as "current_status" from "omc"."tasks" where ("id" = $1::text and "lease_token" = $2::bigint and status in ('claimed', 'in_progress') and "lease_expires_at" > $3::bigint) and not has_dependants for update), "completed" as (update "omc"."tasks" set "status" = 'completed', "result" = $4::text, "error" = $5, "completed_at" = $6::bigint, "updated_at" = $7::bigint, "lease_expires_at" = $8, "version" = version + 1 from "current" where "omc"."tasks"."seq" = "current"."current_seq" returning "omc"."tasks"."id", "omc"."tasks"."assigned_agent", "omc"."tasks"."attempts", "omc"."tasks"."has_dependants", "current"."current_status"), "logged" as (insert into "omc"."task_history" ("task_id", "from_status", "to_status", "agent", "attempt", "at", "reason") select "id", "current_status", 'completed', "assigned_agent", "attempts", $9::bigint, null from "completed" where true) select "has_dependants" from "completed";

-- deleteTask
-- parameters: $id, $id
with "deleted" as (delete from "omc"."tasks" where "id" = $1::text returning "status", "has_dependants", "depends_on"), "forgotten" as (delete from "omc"."task_history" where "task_id" = $2::text) select * from "deleted";

-- dropEdges
-- parameters: $id, $id
with "to_dependants" as (delete from "omc"."task_dependencies" where "depends_on_id" = $1::text) delete from "omc"."task_dependencies" where "task_id" = $2::text;

-- heartbeatHeld
-- parameters: $now, $leaseMs, $now, $leaseMs, $id, $leaseToken, $now
update "omc"."tasks" set "lease_expires_at" = case when timeout_ms is not null and started_at + timeout_ms < $1::bigint + coalesce(lease_ms, $2::bigint) then started_at + timeout_ms else $3::bigint + coalesce(lease_ms, $4::bigint) end, "version" = version + 1 where ("id" = $5::text and "lease_token" = $6::bigint and status in ('claimed', 'in_progress') and "lease_expires_at" > $7::bigint) returning "lease_expires_at";

-- insertCheckedTask
-- parameters: $id, $title, $description, $priority, $created_at, $metadata, $max_attempts, $run_at, $lease_ms, $timeout_ms, $requires, $status, $updated_at, $error, $idempotency_key, $depends_on, $waitingOn, $id, $waitingOn, true, $waitingOn, $id, $historyFrom, $historyTo, $historyAgent, $historyAttempt, $historyAt, $historyReason, $historyFrom
with "inserted" as (insert into "omc"."tasks" ("id", "title", "description", "priority", "created_at", "metadata", "max_attempts", "run_at", "lease_ms", "timeout_ms", "requires", "status", "updated_at", "error", "idempotency_key", "depends_on", "waiting_on") values ($1::text, $2::text, $3::text, $4::int, $5::bigint, $6::text, $7::int, $8::bigint, $9::bigint, $10::bigint, $11::text[], $12::text, $13::bigint, $14::text, $15::text, $16::text[], cardinality($17::text[])) returning "id"), "edges" as (insert into "omc"."task_dependencies" ("depends_on_id", "task_id") select "id" as "depends_on_id", $18::text as "task_id" from unnest($19::text[]) as dependency(id)), "flagged" as (update "omc"."tasks" set "has_dependants" = $20, "version" = version + 1 where id = any($21::text[]) and not has_dependants), "logged" as (insert into "omc"."task_history" ("task_id", "from_status", "to_status", "agent", "attempt", "at", "reason") select $22::text, $23::text, $24::text, $25::text, $26::int, $27::bigint, $28::text  where $29::text is not null) select "id" from "inserted";

-- insertTask
-- parameters: $id, $title, $description, $priority, $created_at, $metadata, $max_attempts, $run_at, $lease_ms, $timeout_ms, $requires, $created_at
insert into "omc"."tasks" ("id", "title", "description", "priority", "created_at", "metadata", "max_attempts", "run_at", "lease_ms", "timeout_ms", "requires", "status", "updated_at") values ($1::text, $2::text, $3::text, $4::int, $5::bigint, $6::text, $7::int, $8::bigint, $9::bigint, $10::bigint, $11::text[], 'pending', $12::bigint) on conflict ("id") do nothing;

-- insertTasks
-- parameters: $ids, $titles, $descriptions, $prioritys, $created_ats, $metadatas, $max_attemptss, $run_ats, $lease_mss, $timeout_mss, $requiress
insert into "omc"."tasks" ("id", "title", "description", "priority", "created_at", "metadata", "max_attempts", "run_at", "lease_ms", "timeout_ms", "requires", "status", "updated_at") select "id" as "id", "title" as "title", "description" as "description", "priority" as "priority", "created_at" as "created_at", "metadata" as "metadata", "max_attempts" as "max_attempts", "run_at" as "run_at", "lease_ms" as "lease_ms", "timeout_ms" as "timeout_ms", case when requires_json is null then null else array(select jsonb_array_elements_text(requires_json::jsonb)) end as "requires", 'pending' as "status", "created_at" as "updated_at" from unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::bigint[], $6::text[], $7::int[], $8::bigint[], $9::bigint[], $10::bigint[], $11::text[]) as batch(id, title, description, priority, created_at, metadata, max_attempts, run_at, lease_ms, timeout_ms, requires_json);

-- lockDependencies
-- parameters: $id
select "id" from "omc"."tasks" where "id" in (select "depends_on_id" from "omc"."task_dependencies" where "task_id" = $1::text) order by "id" for share;

-- lockIdempotencyKey
-- parameters: $lockKey
select pg_advisory_xact_lock(hashtext($1::text)) as "locked";

-- promoteDue
-- parameters: null, $now
update "omc"."tasks" set "run_at" = $1, "version" = version + 1 where status = 'pending' and run_at is not null and waiting_on = 0 and "run_at" <= $2::bigint;

-- reclaimExpired
-- parameters: $now, $now, null, null, null, $now, $now
with "expired" as (select "seq" as "expired_seq", "status" as "expired_status", "assigned_agent" as "expired_agent" from "omc"."tasks" where status in ('claimed', 'in_progress') and "lease_expires_at" <= $1::bigint for update skip locked), "reclaimed" as (update "omc"."tasks" set "status" = case when attempts >= max_attempts then 'failed' else 'pending' end, "assigned_agent" = case when attempts >= max_attempts then assigned_agent end, "started_at" = case when attempts >= max_attempts then started_at end, "completed_at" = case when attempts >= max_attempts then $2::bigint end, "error" = ('attempt ' || "attempts"::text || ' of ' || "max_attempts"::text || ' by ' || coalesce("assigned_agent"::text, 'an unknown agent') || ': ' || case when timeout_ms is not null and started_at + timeout_ms <= lease_expires_at then ('timed out after ' || "timeout_ms"::text || ' ms') else ('lease expired without a heartbeat') end), "result" = $3, "run_at" = $4, "lease_expires_at" = $5, "updated_at" = $6::bigint, "version" = version + 1 from "expired" where "omc"."tasks"."seq" = "expired"."expired_seq" returning "omc"."tasks"."id", "omc"."tasks"."status", "omc"."tasks"."has_dependants", "omc"."tasks"."attempts", "omc"."tasks"."error", "expired"."expired_status", "expired"."expired_agent"), "logged" as (insert into "omc"."task_history" ("task_id", "from_status", "to_status", "agent", "attempt", "at", "reason") select "id", "expired_status", "status", "expired_agent", "attempts", $7::bigint, "error" from "reclaimed" where true) select "id", "status", "has_dependants" from "reclaimed";

-- releaseDependants
-- parameters: $now, $id, 0
update "omc"."tasks" set "waiting_on" = waiting_on - 1, "run_at" = case when waiting_on = 1 and run_at <= $1::bigint then null else run_at end, "version" = version + 1 where "id" in (select "task_id" from "omc"."task_dependencies" where "depends_on_id" = $2::text) and "status" in ('pending', 'claimed', 'in_progress') and "waiting_on" > $3;

-- selectByIdempotencyKey
-- parameters: $key
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "omc"."tasks" where "idempotency_key" = $1::text;

-- selectCounts
-- parameters: 
select ((select coalesce(sum(count), 0)::bigint as "n" from "omc"."task_counts" where "name" = 'total')) as "total", ((select coalesce(sum(count), 0)::bigint as "n" from "omc"."task_counts" where "name" = 'failed')) as "failed", ((select coalesce(sum(count), 0)::bigint as "n" from "omc"."task_counts" where "name" = 'cancelled')) as "cancelled", ((select count(*) as "n" from "omc"."tasks" where "status" = 'pending')) as "pending", ((select count(*) as "n" from "omc"."tasks" where status in ('claimed', 'in_progress'))) as "held", ((select count(*) as "n" from "omc"."tasks" where status in ('claimed', 'in_progress') and "status" = 'in_progress')) as "in_progress";

-- selectHistory
-- parameters: $id
select "task_id", "from_status", "to_status", "agent", "attempt", "at", "reason" from "omc"."task_history" where "task_id" = $1::text order by "seq";

-- selectStatuses
-- parameters: $ids
select "id", "status" from "omc"."tasks" where id = any($1::text[]) order by "id";

-- selectStatusesLocked
-- parameters: $ids
select "id", "status" from "omc"."tasks" where id = any($1::text[]) order by "id" for no key update;

-- selectTask
-- parameters: $id
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "omc"."tasks" where "id" = $1::text;

-- startHeld
-- parameters: $id, $leaseToken, $now, $now, $now
with "current" as (select "seq" as "current_seq", "status" as "current_status" from "omc"."tasks" where ("id" = $1::text and "lease_token" = $2::bigint and status in ('claimed', 'in_progress') and "lease_expires_at" > $3::bigint) for update), "started" as (update "omc"."tasks" set "status" = 'in_progress', "updated_at" = case when status = 'in_progress' then "updated_at" else $4::bigint end, "version" = version + 1 from "current" where "omc"."tasks"."seq" = "current"."current_seq" returning "omc"."tasks"."id", "omc"."tasks"."assigned_agent", "omc"."tasks"."attempts", "current"."current_status"), "logged" as (insert into "omc"."task_history" ("task_id", "from_status", "to_status", "agent", "attempt", "at", "reason") select "id", "current_status", 'in_progress', "assigned_agent", "attempts", $5::bigint, null from "started" where current_status <> 'in_progress') select count(*) as "written" from "started";

-- upkeepDue
-- parameters: $now, $now
select exists ((select 1 as "one" from "omc"."tasks" where status in ('claimed', 'in_progress') and "lease_expires_at" <= $1::bigint)) as "expired", exists ((select 1 as "one" from "omc"."tasks" where status = 'pending' and run_at is not null and waiting_on = 0 and "run_at" <= $2::bigint)) as "due";

-- writePlanned
-- parameters: $status, $assigned_agent, $updated_at, $started_at, $completed_at, $result, $error, $metadata, $attempts, $run_at, $lease_token, $lease_expires_at, $recount, $seq, $version, $id, $historyFrom, $historyTo, $historyAgent, $historyAttempt, $historyAt, $historyReason, $historyFrom
with "written" as (update "omc"."tasks" set "status" = $1::text, "assigned_agent" = $2::text, "updated_at" = $3::bigint, "started_at" = $4::bigint, "completed_at" = $5::bigint, "result" = $6::text, "error" = $7::text, "metadata" = $8::text, "attempts" = $9::int, "run_at" = $10::bigint, "lease_token" = $11::bigint, "lease_expires_at" = $12::bigint, "waiting_on" = case when $13::boolean then ((select count(*)::int as "open" from "omc"."task_dependencies" as "edge" inner join "omc"."tasks" as "dependency" on "dependency"."id" = "edge"."depends_on_id" where edge.task_id = tasks.id and "dependency"."status" <> 'completed')) else waiting_on end, "version" = version + 1 where "seq" = $14::bigint and "version" = $15::bigint returning "id"), "logged" as (insert into "omc"."task_history" ("task_id", "from_status", "to_status", "agent", "attempt", "at", "reason") select $16::text, $17::text, $18::text, $19::text, $20::int, $21::bigint, $22::text from "written" where $23::text is not null) select "id" from "written";

-- listTasks (all)
-- parameters: 
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "omc"."tasks" order by "priority" desc, "created_at" asc, "seq" asc;

-- listTasks (pending, paged)
-- parameters: $limit, $offset
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "omc"."tasks" where "status" = 'pending' order by "priority" desc, "created_at" asc, "seq" asc limit $1::bigint offset $2::bigint;

-- listTasks (by agent and priority)
-- parameters: $assignedAgent, $priority
select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "omc"."tasks" where "assigned_agent" = $1::text and "priority" = $2::int order by "priority" desc, "created_at" asc, "seq" asc;

-- listTasks (after a cursor)
-- parameters: $after, $limit, $after
with page as ((select "seq", "id", "title", "description", "status", "priority", "assigned_agent", "created_at", "updated_at", "started_at", "completed_at", "result", "error", "metadata", "version", "attempts", "max_attempts", "run_at", "lease_token", "lease_expires_at", "lease_ms", "timeout_ms", "idempotency_key", "requires", "depends_on", "has_dependants" from "omc"."tasks" where "status" = 'in_progress' and exists (select 1 from ((select "priority", "created_at", "seq" from "omc"."tasks" as "cursor" where "id" = $1::text)) as c where tasks.priority < c.priority or (tasks.priority = c.priority and (tasks.created_at, tasks.seq) > (c.created_at, c.seq))) order by "priority" desc, "created_at" asc, "seq" asc limit $2::bigint)) select cursor_state.found as cursor_found, page.* from (select exists ((select 1 as "one" from "omc"."tasks" where "id" = $3::text)) as found) as cursor_state left join page on true order by "page"."priority" desc, "page"."created_at" asc, "page"."seq" asc;
