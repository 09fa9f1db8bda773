-- index idx_priority
CREATE INDEX "idx_priority" on "tasks" ("priority" desc, "created_at");

-- index idx_tasks_claim
CREATE INDEX "idx_tasks_claim" on "tasks" ("run_at", "priority" desc, "created_at") where status = 'pending' and (run_at is null and waiting_on = 0);

-- index idx_tasks_delayed
CREATE INDEX "idx_tasks_delayed" on "tasks" ("run_at") where status = 'pending' and (run_at is not null and waiting_on = 0);

-- index idx_tasks_idempotency_key
CREATE UNIQUE INDEX "idx_tasks_idempotency_key" on "tasks" ("idempotency_key") where idempotency_key is not null;

-- index idx_tasks_lease
CREATE INDEX "idx_tasks_lease" on "tasks" ("lease_expires_at", "status") where (status = 'claimed' or status = 'in_progress');

-- index idx_tasks_requiring
CREATE INDEX "idx_tasks_requiring" on "tasks" ("run_at", "priority" desc, "created_at", "seq", "requires") where status = 'pending' and (run_at is null and (waiting_on = 0 and requires is not null));

-- index idx_tasks_waiting
CREATE INDEX "idx_tasks_waiting" on "tasks" ("priority" desc, "created_at", "seq", "waiting_on") where status = 'pending' and waiting_on <> 0;

-- table task_counts
CREATE TABLE "task_counts" ("name" text primary key, "count" integer not null) without rowid;

-- table task_dependencies
CREATE TABLE "task_dependencies" ("depends_on_id" text not null, "task_id" text not null, constraint "task_dependencies_pk" primary key ("depends_on_id", "task_id")) without rowid;

-- table tasks
CREATE TABLE "tasks" ("seq" integer primary key, "id" text not null unique, "title" text not null, "description" text not null, "status" text not null check (status = 'pending' or status = 'claimed' or status = 'in_progress' or status = 'completed' or status = 'failed' or status = 'cancelled'), "priority" integer not null check (typeof(priority) = 'integer' and priority between 0 and 3), "assigned_agent" text, "created_at" integer not null, "updated_at" integer not null, "started_at" integer, "completed_at" integer, "result" text, "error" text, "metadata" text, "version" integer default 0 not null, "attempts" integer default 0 not null, "max_attempts" integer default 3 not null, "run_at" integer, "lease_token" integer default 0 not null, "lease_expires_at" integer, "lease_ms" integer, "timeout_ms" integer, "idempotency_key" text, "history" text, "requires" text, "depends_on" text, "waiting_on" integer default 0 not null, "has_dependants" integer default 0 not null);

-- trigger task_counts_delete
CREATE TRIGGER task_counts_delete after delete on tasks begin
      update task_counts set count = count - 1 where name = 'total';
    end;

-- trigger task_counts_delete_status
CREATE TRIGGER task_counts_delete_status after delete on tasks when (old.status = 'failed' or old.status = 'cancelled') begin
      update task_counts set count = count - 1 where name = old.status;
    end;

-- trigger task_counts_insert
CREATE TRIGGER task_counts_insert after insert on tasks begin
      update task_counts set count = count + 1 where name = 'total';
    end;

-- trigger task_counts_insert_status
CREATE TRIGGER task_counts_insert_status after insert on tasks when (new.status = 'failed' or new.status = 'cancelled') begin
      update task_counts set count = count + 1 where name = new.status;
    end;

-- trigger task_counts_update
CREATE TRIGGER task_counts_update after update of status on tasks
      when old.status <> new.status and ((old.status = 'failed' or old.status = 'cancelled') or (new.status = 'failed' or new.status = 'cancelled'))
    begin
      update task_counts set count = count - 1 where name = old.status;
      update task_counts set count = count + 1 where name = new.status;
    end;

-- trigger tasks_version_bump
CREATE TRIGGER tasks_version_bump after update on tasks when new.version = old.version begin
      update tasks set version = old.version + 1,
      lease_expires_at = case when (new.status = 'claimed' or new.status = 'in_progress')
        then coalesce(new.lease_expires_at, cast(unixepoch('subsec') * 1000 as integer) + coalesce(new.lease_ms, 300000))
        end,
      history = case when old.status = new.status then new.history
        else coalesce(history, '') || substr(old.status, 1, 2) || substr(new.status, 1, 2) || cast(max(old.attempts, new.attempts) as integer) || '.' || cast(cast(unixepoch('subsec') * 1000 as integer) - created_at as integer) || case when coalesce(new.assigned_agent, old.assigned_agent) is null then '' else '' || json_quote(coalesce(new.assigned_agent, old.assigned_agent)) end || case when 'changed by direct SQL' is null then '' else '!' || json_quote('changed by direct SQL') end || char(10) end
      where seq = new.seq;
    end;
