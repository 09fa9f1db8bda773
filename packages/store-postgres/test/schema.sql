-- migration 1: tasks, dependency edges, history, counters, claim and listing indexes
create table "omc"."tasks" ("seq" bigserial primary key, "id" text not null unique, "title" text not null, "description" text not null, "status" text not null check (status in ('pending', 'claimed', 'in_progress', 'completed', 'failed', 'cancelled')), "priority" smallint not null check (priority between 0 and 3), "assigned_agent" text, "created_at" bigint not null, "updated_at" bigint not null, "started_at" bigint, "completed_at" bigint, "result" text, "error" text, "metadata" text, "version" bigint default 0 not null, "attempts" integer default 0 not null, "max_attempts" integer not null, "run_at" bigint, "lease_token" bigint default 0 not null, "lease_expires_at" bigint, "lease_ms" bigint, "timeout_ms" bigint, "idempotency_key" text, "requires" text[], "depends_on" text[], "waiting_on" integer default 0 not null, "has_dependants" boolean default false not null);

create index "idx_tasks_ready" on "omc"."tasks" ("priority" desc, "created_at", "seq") where status = 'pending' and run_at is null and waiting_on = 0;

create index "idx_tasks_ready_requiring" on "omc"."tasks" ("priority" desc, "created_at", "seq") where status = 'pending' and run_at is null and waiting_on = 0 and requires is not null;

create index "idx_tasks_delayed" on "omc"."tasks" ("run_at") where status = 'pending' and run_at is not null and waiting_on = 0;

create index "idx_tasks_pending" on "omc"."tasks" ("priority" desc, "created_at", "seq") where status = 'pending';

create index "idx_tasks_held" on "omc"."tasks" ("lease_expires_at", "status") where status in ('claimed', 'in_progress');

create index "idx_tasks_listing" on "omc"."tasks" ("priority" desc, "created_at", "seq");

create unique index "idx_tasks_idempotency_key" on "omc"."tasks" ("idempotency_key") where idempotency_key is not null;

create table "omc"."task_dependencies" ("depends_on_id" text not null, "task_id" text not null, constraint "task_dependencies_pk" primary key ("depends_on_id", "task_id"));

create index "idx_task_dependencies_task" on "omc"."task_dependencies" ("task_id");

create table "omc"."task_history" ("task_id" text not null, "seq" bigserial not null, "from_status" text not null, "to_status" text not null, "agent" text, "attempt" integer not null, "at" bigint not null, "reason" text, constraint "task_history_pk" primary key ("task_id", "seq"));

create table "omc"."task_counts" ("name" text not null, "slot" integer not null, "count" bigint default 0 not null, constraint "task_counts_pk" primary key ("name", "slot"));

insert into "omc"."task_counts" (name, slot) select name, slot from unnest(array['total', 'failed', 'cancelled']) as name, generate_series(0, 15) as slot;

create function "omc"."omc_count_inserts"() returns trigger language plpgsql as $$
begin
  update "omc"."task_counts" c set count = c.count + d.n
    from (select 'total' as name, count(*) as n from new_rows
          union all select status, count(*) from new_rows where status in ('failed', 'cancelled') group by status) d
    where c.name = d.name and c.slot = pg_backend_pid() % 16;
  return null;
end $$;

create function "omc"."omc_count_deletes"() returns trigger language plpgsql as $$
begin
  update "omc"."task_counts" c set count = c.count - d.n
    from (select 'total' as name, count(*) as n from old_rows
          union all select status, count(*) from old_rows where status in ('failed', 'cancelled') group by status) d
    where c.name = d.name and c.slot = pg_backend_pid() % 16;
  return null;
end $$;

create function "omc"."omc_count_status_change"() returns trigger language plpgsql as $$
begin
  update "omc"."task_counts" set count = count - 1 where name = old.status and slot = pg_backend_pid() % 16;
  update "omc"."task_counts" set count = count + 1 where name = new.status and slot = pg_backend_pid() % 16;
  return null;
end $$;

create function "omc"."omc_count_truncate"() returns trigger language plpgsql as $$
begin
  update "omc"."task_counts" set count = 0;
  return null;
end $$;

create trigger omc_count_inserts after insert on "omc"."tasks" referencing new table as new_rows for each statement execute function "omc"."omc_count_inserts"();

create trigger omc_count_deletes after delete on "omc"."tasks" referencing old table as old_rows for each statement execute function "omc"."omc_count_deletes"();

create trigger omc_count_status_change after update of status on "omc"."tasks" for each row when (old.status is distinct from new.status and (old.status in ('failed', 'cancelled') or new.status in ('failed', 'cancelled'))) execute function "omc"."omc_count_status_change"();

create trigger omc_count_truncate after truncate on "omc"."tasks" for each statement execute function "omc"."omc_count_truncate"();

-- migration 2: NOTIFY when tasks are created or become claimable again
create function "omc"."omc_notify_insert"() returns trigger language plpgsql as $$
begin
  if exists (select 1 from omc_written) then
    perform pg_notify(tg_argv[0], '');
  end if;
  return null;
end $$;

create function "omc"."omc_notify_claimable"() returns trigger language plpgsql as $$
begin
  perform pg_notify(tg_argv[0], '');
  return null;
end $$;

create trigger omc_notify_insert after insert on "omc"."tasks" referencing new table as omc_written for each statement execute function "omc"."omc_notify_insert"('omc:omc');

create trigger omc_notify_claimable after update on "omc"."tasks" for each row when (new.status = 'pending' and new.waiting_on = 0 and not (old.status = 'pending' and old.waiting_on = 0 and old.run_at is not distinct from new.run_at)) execute function "omc"."omc_notify_claimable"('omc:omc');
