// GENERATED FILE, DO NOT EDIT. @omc/store-sqlite (with @omc/core bundled in) at commit 4569b53, before leases.
// How it was built: see README.md in this folder.

// ../core/dist/chunk-4OFWRLJO.js
var systemClock = Object.freeze({ now: () => Date.now() });
var MARKER = /* @__PURE__ */ Symbol.for("omc.error");
var OmcError = class extends Error {
  /** Stable code, for programs. */
  code;
  /** The task concerned, where there is one. */
  taskId;
  constructor(code, message, options) {
    super(message, options?.cause === void 0 ? void 0 : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.taskId = options?.taskId;
    Object.defineProperty(this, MARKER, { value: true });
  }
  /** True for any omc error, across package copies. */
  static isInstance(error) {
    return typeof error === "object" && error !== null && error[MARKER] === true;
  }
};
var InvalidInputError = class extends OmcError {
  field;
  constructor(field, message, options) {
    super("OMC_INVALID_INPUT", message, options);
    this.field = field;
  }
  static isInstance(error) {
    return OmcError.isInstance(error) && error.code === "OMC_INVALID_INPUT";
  }
};
var InvalidTransitionError = class extends OmcError {
  from;
  to;
  constructor(taskId, from, to, message) {
    super("OMC_INVALID_TRANSITION", message, { taskId });
    this.from = from;
    this.to = to;
  }
  static isInstance(error) {
    return OmcError.isInstance(error) && error.code === "OMC_INVALID_TRANSITION";
  }
};
var StoreClosedError = class extends OmcError {
  constructor(operation) {
    super("OMC_STORE_CLOSED", `Cannot ${operation}: the task store is closed. Open a new one.`);
  }
};
var NotADatabaseError = class extends OmcError {
  path;
  constructor(path, cause) {
    super(
      "OMC_NOT_A_DATABASE",
      `${path} is not a SQLite database (or is encrypted or corrupt). It was left untouched; pass the path of an omc database or a new file.`,
      { cause }
    );
    this.path = path;
  }
};
var SchemaTooNewError = class extends OmcError {
  found;
  supported;
  constructor(path, found, supported) {
    super(
      "OMC_SCHEMA_TOO_NEW",
      `${path} has schema version ${found}, but this omc understands up to ${supported}. It was left untouched; upgrade omc to open it.`
    );
    this.found = found;
    this.supported = supported;
  }
};
var ForeignDatabaseError = class extends OmcError {
  path;
  constructor(path, detail) {
    super(
      "OMC_FOREIGN_DATABASE",
      `${path} is a SQLite database that omc did not create (${detail}). It was left untouched; use a new file for the task pool.`
    );
    this.path = path;
  }
};
var StorageError = class extends OmcError {
  constructor(message, options) {
    super("OMC_STORAGE", message, options);
  }
};
function unknownCursor(after) {
  return new InvalidInputError(
    "filter.after",
    `filter.after names task ${after}, which does not exist (deleted since the last page?). Restart paging from the first page.`,
    { taskId: after }
  );
}
var TaskStatus = {
  PENDING: "pending",
  CLAIMED: "claimed",
  IN_PROGRESS: "in_progress",
  COMPLETED: "completed",
  FAILED: "failed",
  CANCELLED: "cancelled"
};
var TaskPriority = {
  LOW: 0,
  MEDIUM: 1,
  HIGH: 2,
  CRITICAL: 3
};
var TASK_STATUSES = Object.freeze(Object.values(TaskStatus));
var TASK_PRIORITIES = Object.freeze(Object.values(TaskPriority));
var STATS_KEY = Object.freeze({
  pending: "pending",
  claimed: "claimed",
  in_progress: "inProgress",
  completed: "completed",
  failed: "failed",
  cancelled: "cancelled"
});
function emptyStats() {
  return { total: 0, pending: 0, claimed: 0, inProgress: 0, completed: 0, failed: 0, cancelled: 0 };
}
var HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));
var randomBlock = new Uint8Array(2560);
var randomOffset = randomBlock.length;
function takeRandom(count) {
  if (randomOffset + count > randomBlock.length) {
    globalThis.crypto.getRandomValues(randomBlock);
    randomOffset = 0;
  }
  const start = randomOffset;
  randomOffset += count;
  return start;
}
var lastMs = 0;
var sequence = 0;
function newTaskId() {
  let ms = Date.now();
  if (ms > lastMs) {
    lastMs = ms;
    sequence = randomBlock[takeRandom(1)] << 3;
  } else {
    ms = lastMs;
    sequence++;
    if (sequence > 4095) {
      lastMs = ms = lastMs + 1;
      sequence = 0;
    }
  }
  const r = takeRandom(8);
  const b = randomBlock;
  const high = Math.floor(ms / 16777216);
  const low = ms % 16777216;
  return HEX[high >>> 16 & 255] + HEX[high >>> 8 & 255] + HEX[high & 255] + HEX[low >>> 16 & 255] + "-" + HEX[low >>> 8 & 255] + HEX[low & 255] + "-" + HEX[112 | sequence >>> 8] + HEX[sequence & 255] + "-" + HEX[128 | b[r] & 63] + HEX[b[r + 1]] + "-" + HEX[b[r + 2]] + HEX[b[r + 3]] + HEX[b[r + 4]] + HEX[b[r + 5]] + HEX[b[r + 6]] + HEX[b[r + 7]];
}
function newPendingTask(input, now) {
  return {
    id: newTaskId(),
    title: input.title,
    description: input.description,
    status: TaskStatus.PENDING,
    priority: input.priority,
    assignedAgent: void 0,
    createdAt: now,
    updatedAt: now,
    startedAt: void 0,
    completedAt: void 0,
    result: void 0,
    error: void 0,
    metadata: input.metadataJson === void 0 ? void 0 : JSON.parse(input.metadataJson)
  };
}
var TASK_STORE_SPECIFICATION_VERSION = "v1";
var { PENDING, CLAIMED, IN_PROGRESS, COMPLETED, FAILED, CANCELLED } = TaskStatus;
var TRANSITIONS = Object.freeze({
  [PENDING]: [CLAIMED, CANCELLED],
  [CLAIMED]: [IN_PROGRESS, COMPLETED, FAILED, CANCELLED, PENDING],
  [IN_PROGRESS]: [COMPLETED, FAILED, CANCELLED, PENDING],
  [COMPLETED]: [],
  [FAILED]: [],
  [CANCELLED]: []
});
function canTransition(from, to) {
  return TRANSITIONS[from].includes(to);
}
function isTerminal(status) {
  return TRANSITIONS[status].length === 0;
}
function statusEffect(status) {
  return {
    claims: status === CLAIMED,
    finishes: status === COMPLETED || status === FAILED,
    resets: status === PENDING
  };
}
function statusChangeInputError(taskId, update) {
  const to = update.status;
  if (to === void 0) return void 0;
  const effect = statusEffect(to);
  if (effect.claims && update.assignedAgent === void 0) {
    return new InvalidInputError(
      "assignedAgent",
      `Task ${taskId}: claiming needs an agent; call claimTask(agentName) or pass assignedAgent.`,
      { taskId }
    );
  }
  return effect.resets ? pendingFieldError(taskId, update) : void 0;
}
function pendingFieldError(taskId, update) {
  for (const field of ["assignedAgent", "result", "error"]) {
    if (update[field] !== void 0) {
      return new InvalidInputError(field, `Task ${taskId}: a pending task has no ${field}; omit it.`, { taskId });
    }
  }
  return void 0;
}
function planUpdate(current, update, now) {
  const from = current.status;
  const to = update.status ?? from;
  const next = { ...current, updatedAt: now };
  if (isTerminal(from)) {
    const touchesMoreThanMetadata = update.status !== void 0 || update.assignedAgent !== void 0 || update.result !== void 0 || update.error !== void 0;
    if (touchesMoreThanMetadata) {
      throw new InvalidTransitionError(
        current.id,
        from,
        to,
        to === from ? `Task ${current.id} is already ${from}, which is final; only its metadata can change. Create a new task to run the work again.` : `Task ${current.id} is ${from}, which is final; it cannot become ${to}. Create a new task to run the work again.`
      );
    }
  } else if (to !== from) {
    if (!canTransition(from, to)) {
      throw new InvalidTransitionError(
        current.id,
        from,
        to,
        `Task ${current.id} cannot go from ${from} to ${to}. Allowed from ${from}: ${TRANSITIONS[from].join(", ")}.`
      );
    }
    const inputError = statusChangeInputError(current.id, update);
    if (inputError) throw inputError;
    const effect = statusEffect(to);
    next.status = to;
    if (effect.resets) {
      next.assignedAgent = void 0;
      next.startedAt = void 0;
      next.completedAt = void 0;
      next.result = void 0;
      next.error = void 0;
    }
    if (effect.claims) next.startedAt = now;
    if (effect.finishes) next.completedAt = now;
  } else if (to === PENDING) {
    const inputError = pendingFieldError(current.id, update);
    if (inputError) throw inputError;
  }
  if (update.assignedAgent !== void 0) next.assignedAgent = update.assignedAgent;
  if (update.result !== void 0) next.result = update.result;
  if (update.error !== void 0) next.error = update.error;
  if (update.metadata !== void 0) next.metadata = update.metadata;
  return next;
}
var DEFAULT_MAX_METADATA_BYTES = 256 * 1024;
var DEFAULT_LIMITS = Object.freeze({ maxMetadataBytes: DEFAULT_MAX_METADATA_BYTES });
function describe(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}\u2026` : value);
  return `a ${typeof value}`;
}
function requireText(field, value, taskId) {
  if (typeof value !== "string" || value.trim().length === 0) {
    throw new InvalidInputError(field, `${field} must be a non-empty string, got ${describe(value)}.`, { taskId });
  }
  return value;
}
function optionalString(field, value, taskId) {
  if (value === void 0) return void 0;
  if (typeof value !== "string") {
    throw new InvalidInputError(field, `${field} must be a string, got ${describe(value)}.`, { taskId });
  }
  return value;
}
function isTaskPriority(value) {
  return TASK_PRIORITIES.includes(value);
}
function isTaskStatus(value) {
  return TASK_STATUSES.includes(value);
}
function requirePriority(field, value, taskId) {
  if (!isTaskPriority(value)) {
    throw new InvalidInputError(
      field,
      `${field} must be an integer from 0 (LOW) to 3 (CRITICAL), got ${describe(value)}. Use TaskPriority.LOW \u2026 TaskPriority.CRITICAL.`,
      { taskId }
    );
  }
  return value;
}
function requireStatus(field, value, taskId) {
  if (!isTaskStatus(value)) {
    throw new InvalidInputError(field, `${field} must be one of ${TASK_STATUSES.join(", ")}, got ${describe(value)}.`, {
      taskId
    });
  }
  return value;
}
function isPlainObject(value) {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
function findUnserialisable(value, path, seen, inArray = false) {
  switch (typeof value) {
    case "string":
    case "boolean":
      return void 0;
    case "number":
      return Number.isFinite(value) ? void 0 : `${path} is ${value}, which JSON turns into null`;
    case "bigint":
      return `${path} is a BigInt, which JSON cannot encode; store it as a string`;
    case "function":
      return `${path} is a function, which JSON drops`;
    case "symbol":
      return `${path} is a symbol, which JSON drops`;
    case "undefined":
      return inArray ? `${path} is undefined, which JSON turns into null` : void 0;
  }
  if (value === null) return void 0;
  const object = value;
  if (seen.has(object)) return `${path} refers back to itself (a cycle)`;
  if (!Array.isArray(object) && !isPlainObject(object)) {
    const kind = object.constructor?.name || "object with a prototype";
    return `${path} is a ${kind}, which JSON does not keep; convert it to plain data (a Date to date.toISOString(), a Map to Object.fromEntries(map))`;
  }
  seen.add(object);
  const entries = Array.isArray(object) ? object.map((child, i) => [`[${i}]`, child]) : Object.entries(object).map(([key, child]) => [`.${key}`, child]);
  for (const [step, child] of entries) {
    const problem = findUnserialisable(child, `${path}${step}`, seen, Array.isArray(object));
    if (problem) return problem;
  }
  seen.delete(object);
  return void 0;
}
var encoder = new TextEncoder();
function serialiseMetadata(value, limits = DEFAULT_LIMITS, taskId) {
  if (value === void 0) return { metadata: void 0, json: void 0 };
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidInputError("metadata", `metadata must be a plain object, got ${describe(value)}.`, { taskId });
  }
  const problem = findUnserialisable(value, "metadata", /* @__PURE__ */ new Set());
  if (problem) {
    throw new InvalidInputError("metadata", `metadata is not JSON-serialisable: ${problem}.`, { taskId });
  }
  const json = JSON.stringify(value);
  if (json.length * 3 > limits.maxMetadataBytes) {
    const bytes = encoder.encode(json).length;
    if (bytes > limits.maxMetadataBytes) {
      throw new InvalidInputError(
        "metadata",
        `metadata is ${bytes} bytes as JSON, over the limit of ${limits.maxMetadataBytes}. Store large payloads elsewhere and keep a reference, or raise maxMetadataBytes.`,
        { taskId }
      );
    }
  }
  return { metadata: value, json };
}
function validateCreateInput(input, limits = DEFAULT_LIMITS) {
  if (typeof input !== "object" || input === null) {
    throw new InvalidInputError(
      "input",
      `createTask needs an object with a title and a description, got ${describe(input)}.`
    );
  }
  const raw2 = input;
  const title = requireText("title", raw2.title);
  const description = requireText("description", raw2.description);
  const priority = raw2.priority === void 0 ? TaskPriority.MEDIUM : requirePriority("priority", raw2.priority);
  const { metadata, json } = serialiseMetadata(raw2.metadata, limits);
  return { title, description, priority, metadata, metadataJson: json };
}
function validateUpdateInput(taskId, update, limits = DEFAULT_LIMITS) {
  if (typeof update !== "object" || update === null) {
    throw new InvalidInputError("update", `updateTask needs an object of fields to change, got ${describe(update)}.`, {
      taskId
    });
  }
  const raw2 = update;
  const valid = {};
  if (raw2.status !== void 0) valid.status = requireStatus("status", raw2.status, taskId);
  if (raw2.assignedAgent !== void 0) valid.assignedAgent = requireText("assignedAgent", raw2.assignedAgent, taskId);
  const result = optionalString("result", raw2.result, taskId);
  if (result !== void 0) valid.result = result;
  const error = optionalString("error", raw2.error, taskId);
  if (error !== void 0) valid.error = error;
  if (raw2.metadata !== void 0) {
    const { metadata, json } = serialiseMetadata(raw2.metadata, limits, taskId);
    valid.metadata = metadata;
    valid.metadataJson = json;
  }
  return valid;
}
function validateTaskId(id) {
  return requireText("id", id);
}
function validateAgentName(agentName) {
  return requireText("agentName", agentName);
}
function optionalInteger(field, value, min) {
  if (value === void 0) return void 0;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw new InvalidInputError(field, `${field} must be an integer \u2265 ${min}, got ${describe(value)}.`);
  }
  return value;
}
function validateFilter(filter) {
  if (filter === void 0) return {};
  if (typeof filter !== "object" || filter === null) {
    throw new InvalidInputError("filter", `getTasks takes an optional filter object, got ${describe(filter)}.`);
  }
  const raw2 = filter;
  const valid = {};
  if (raw2.status !== void 0) valid.status = requireStatus("filter.status", raw2.status);
  if (raw2.priority !== void 0) valid.priority = requirePriority("filter.priority", raw2.priority);
  if (raw2.assignedAgent !== void 0) valid.assignedAgent = requireText("filter.assignedAgent", raw2.assignedAgent);
  const limit = optionalInteger("filter.limit", raw2.limit, 1);
  if (limit !== void 0) valid.limit = limit;
  const offset = optionalInteger("filter.offset", raw2.offset, 0);
  if (offset !== void 0) valid.offset = offset;
  if (raw2.after !== void 0) {
    valid.after = requireText("filter.after", raw2.after);
    if (offset !== void 0) {
      throw new InvalidInputError("filter.offset", "Use after (a cursor) or offset to page, not both.");
    }
  }
  return valid;
}

// src/migrations.ts
import { sql } from "kysely";

// src/query-builder.ts
import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from "kysely";
var builder = new Kysely({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler()
  }
});
var PARAM = /* @__PURE__ */ Symbol("omc.param");
function param(name) {
  const ref = { [PARAM]: name };
  return ref;
}
function paramName(value) {
  return typeof value === "object" && value !== null && PARAM in value ? value[PARAM] : void 0;
}
function compile(query) {
  const { sql: text2, parameters } = query.compile();
  return { sql: text2, parameters };
}
var PreparedQuery = class {
  statement;
  /** Per position: the parameter's name, or undefined for a constant taken from `constants`. */
  names;
  constants;
  constructor(db, shape) {
    this.statement = db.prepare(shape.sql);
    if (this.statement.reader) this.statement.raw(true);
    this.names = shape.parameters.map(paramName);
    this.constants = shape.parameters;
  }
  /** The SQL text, for plan checks. */
  get source() {
    return this.statement.source;
  }
  bind(values) {
    const args = new Array(this.names.length);
    for (let i = 0; i < args.length; i++) {
      const name = this.names[i];
      if (name === void 0) {
        args[i] = this.constants[i];
      } else {
        if (!(name in values)) throw new TypeError(`omc internal error: no value for parameter ${name}`);
        args[i] = values[name];
      }
    }
    return args;
  }
  run(values = {}) {
    return this.statement.run(...this.bind(values));
  }
  get(values = {}) {
    return this.statement.get(...this.bind(values));
  }
  all(values = {}) {
    return this.statement.all(...this.bind(values));
  }
};

// src/migrations.ts
var COUNTED_STATUSES = [
  TaskStatus.IN_PROGRESS,
  TaskStatus.COMPLETED,
  TaskStatus.FAILED,
  TaskStatus.CANCELLED
];
var knownStatus = sql.join(
  TASK_STATUSES.map((status) => sql`status = ${sql.lit(status)}`),
  sql` or `
);
var uncounted = sql`(${sql.lit(TaskStatus.PENDING)}, ${sql.lit(TaskStatus.CLAIMED)})`;
function text(query) {
  return query.compile().sql;
}
function raw(query) {
  return query.compile(builder).sql;
}
var v1 = {
  version: 1,
  name: "tasks table, claim and listing indexes, status counters",
  statements: [
    text(
      builder.schema.createTable("tasks").addColumn("seq", "integer", (c) => c.primaryKey()).addColumn("id", "text", (c) => c.notNull().unique()).addColumn("title", "text", (c) => c.notNull()).addColumn("description", "text", (c) => c.notNull()).addColumn("status", "text", (c) => c.notNull().check(knownStatus)).addColumn(
        "priority",
        "integer",
        (c) => c.notNull().check(sql`typeof(priority) = 'integer' and priority between 0 and 3`)
      ).addColumn("assigned_agent", "text").addColumn("created_at", "integer", (c) => c.notNull()).addColumn("updated_at", "integer", (c) => c.notNull()).addColumn("started_at", "integer").addColumn("completed_at", "integer").addColumn("result", "text").addColumn("error", "text").addColumn("metadata", "text").addColumn("version", "integer", (c) => c.notNull().defaultTo(0))
    ),
    // Raw SQL that changes a row without bumping its version (the guide's examples) gets it bumped here,
    // so the pool's compare-and-set on the version never mistakes a changed row for the one it read.
    raw(sql`create trigger tasks_version_bump after update on tasks when new.version = old.version begin
      update tasks set version = old.version + 1 where seq = new.seq;
    end`),
    // The claim order over pending tasks only: a claim reads the first entry, whatever the history holds
    // and however many tasks wait. The rowid (seq) ends every entry: the FIFO tie-break comes free.
    // Indexes over every row's status or agent (the guide's idx_status, idx_assigned_agent) would be
    // rewritten on every transition; measured, they halved claim→complete throughput.
    text(
      builder.schema.createIndex("idx_tasks_claim").on("tasks").columns(["priority desc", "created_at"]).where(sql.ref("status"), "=", sql.lit(TaskStatus.PENDING))
    ),
    // The listing order over every row. Priority and creation time never change, so only inserts pay.
    text(builder.schema.createIndex("idx_priority").on("tasks").columns(["priority desc", "created_at"])),
    text(
      builder.schema.createTable("task_counts").addColumn("name", "text", (c) => c.primaryKey()).addColumn("count", "integer", (c) => c.notNull()).modifyEnd(sql`without rowid`)
    ),
    raw(
      sql`insert into task_counts (name, count) values ${sql.join(
        ["total", ...COUNTED_STATUSES].map((name) => sql`(${sql.lit(name)}, 0)`)
      )}`
    ),
    // Triggers, not pool code, keep the counts, so raw SQL (the guide's archive example) stays counted.
    // The total and the per-status counts are separate triggers: a false WHEN costs almost nothing,
    // while one UPDATE matching either of two names cost a measurable µs per inserted row.
    raw(sql`create trigger task_counts_insert after insert on tasks begin
      update task_counts set count = count + 1 where name = 'total';
    end`),
    raw(sql`create trigger task_counts_insert_status after insert on tasks when new.status not in ${uncounted} begin
      update task_counts set count = count + 1 where name = new.status;
    end`),
    raw(sql`create trigger task_counts_delete after delete on tasks begin
      update task_counts set count = count - 1 where name = 'total';
    end`),
    raw(sql`create trigger task_counts_delete_status after delete on tasks when old.status not in ${uncounted} begin
      update task_counts set count = count - 1 where name = old.status;
    end`),
    // Leaving and entering a counted status are separate triggers, so claimed → completed runs one
    // counter update, not a second one that would match no row.
    raw(sql`create trigger task_counts_update_from after update of status on tasks
      when old.status <> new.status and old.status not in ${uncounted}
    begin
      update task_counts set count = count - 1 where name = old.status;
    end`),
    raw(sql`create trigger task_counts_update_to after update of status on tasks
      when old.status <> new.status and new.status not in ${uncounted}
    begin
      update task_counts set count = count + 1 where name = new.status;
    end`)
  ]
};
var MIGRATIONS = [v1];
var SCHEMA_VERSION = MIGRATIONS.length;

// src/open-database.ts
import Database from "better-sqlite3";
var APPLICATION_ID = 1869439777;
function isSqliteError(error, code) {
  return typeof error === "object" && error !== null && error.code === code;
}
function openDatabase(path, options) {
  let db;
  try {
    db = new Database(path, { timeout: options.busyTimeoutMs });
  } catch (error) {
    throw new StorageError(`Cannot open ${path}: ${error.message}. Check the path and its permissions.`, {
      cause: error
    });
  }
  try {
    const found = readHeader(db, path);
    if (found.version > SCHEMA_VERSION) throw new SchemaTooNewError(path, found.version, SCHEMA_VERSION);
    if (found.version > 0 && found.applicationId !== APPLICATION_ID) {
      throw new ForeignDatabaseError(path, `application_id is ${found.applicationId}`);
    }
    if (found.version === 0 && found.tables.length > 0) {
      throw new ForeignDatabaseError(path, `it already has tables: ${found.tables.slice(0, 5).join(", ")}`);
    }
    if (path !== ":memory:" && path !== "") {
      db.pragma("journal_mode = WAL");
    }
    db.pragma(`synchronous = ${options.synchronous}`);
    if (found.version < SCHEMA_VERSION) migrate(db, path);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
function readHeader(db, path) {
  try {
    return db.transaction(() => ({
      version: db.pragma("user_version", { simple: true }),
      applicationId: db.pragma("application_id", { simple: true }),
      tables: db.prepare("select name from sqlite_master where type = 'table'").all().map(
        (row) => row.name
      )
    }))();
  } catch (error) {
    if (isSqliteError(error, "SQLITE_NOTADB")) throw new NotADatabaseError(path, error);
    throw error;
  }
}
function migrate(db, path) {
  db.transaction(() => {
    const current = db.pragma("user_version", { simple: true });
    if (current === 0) {
      const tables = db.prepare("select count(*) as n from sqlite_master where type = 'table'").get();
      if (tables.n > 0)
        throw new ForeignDatabaseError(path, "another program created tables in it while omc opened it");
    }
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      for (const statement of migration.statements) db.exec(statement);
    }
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

// src/queries.ts
import { sql as sql2 } from "kysely";

// src/schema.ts
var TASK_COLUMNS = [
  "seq",
  "id",
  "title",
  "description",
  "status",
  "priority",
  "assigned_agent",
  "created_at",
  "updated_at",
  "started_at",
  "completed_at",
  "result",
  "error",
  "metadata",
  "version"
];
var ROW = {
  seq: 0,
  id: 1,
  title: 2,
  description: 3,
  status: 4,
  priority: 5,
  assignedAgent: 6,
  createdAt: 7,
  updatedAt: 8,
  startedAt: 9,
  completedAt: 10,
  result: 11,
  error: 12,
  metadata: 13,
  version: 14
};

// src/queries.ts
function tasksIndexedBy(index) {
  return sql2.raw(`tasks indexed by ${index}`);
}
var insertTask = compile(
  builder.insertInto("tasks").values({
    id: param("id"),
    title: param("title"),
    description: param("description"),
    status: sql2.lit(TaskStatus.PENDING),
    priority: param("priority"),
    created_at: param("now"),
    updated_at: param("now"),
    metadata: param("metadata")
  })
);
var insertTasksFromJson = compile(
  builder.insertInto("tasks").columns(["id", "title", "description", "status", "priority", "created_at", "updated_at", "metadata"]).expression(
    builder.selectFrom(sql2`json_each(${param("rows")})`.as("batch")).select([
      sql2`value ->> 0`.as("id"),
      sql2`value ->> 1`.as("title"),
      sql2`value ->> 2`.as("description"),
      sql2.lit(TaskStatus.PENDING).as("status"),
      sql2`value ->> 3`.as("priority"),
      sql2`${param("now")}`.as("created_at"),
      sql2`${param("now")}`.as("updated_at"),
      sql2`value ->> 4`.as("metadata")
    ])
  )
);
function inClaimOrder(query) {
  return query.orderBy("priority", "desc").orderBy("created_at", "asc").orderBy("seq", "asc");
}
var nextPending = builder.selectFrom(tasksIndexedBy("idx_tasks_claim")).select("seq").where("status", "=", sql2.lit(TaskStatus.PENDING)).$call(inClaimOrder).limit(sql2.lit(1));
var claimNext = compile(
  builder.updateTable("tasks").set({
    status: sql2.lit(TaskStatus.CLAIMED),
    assigned_agent: param("agent"),
    updated_at: param("now"),
    started_at: param("now"),
    version: sql2`${sql2.ref("version")} + 1`
  }).where("seq", "=", nextPending).returning(TASK_COLUMNS)
);
var selectById = compile(
  builder.selectFrom("tasks").select(TASK_COLUMNS).where("id", "=", param("id"))
);
var writePlanned = compile(
  builder.updateTable("tasks").set({
    status: param("status"),
    assigned_agent: param("assigned_agent"),
    updated_at: param("updated_at"),
    started_at: param("started_at"),
    completed_at: param("completed_at"),
    result: param("result"),
    error: param("error"),
    metadata: param("metadata"),
    version: sql2`${param("version")} + 1`
  }).where("seq", "=", param("seq")).where("id", "=", param("id")).where("version", "=", param("version"))
);
var deleteById = compile(builder.deleteFrom("tasks").where("id", "=", param("id")));
var deleteAll = compile(builder.deleteFrom("tasks"));
var selectCounts = compile(builder.selectFrom("task_counts").select(["name", "count"]));
var countPending = compile(
  builder.selectFrom(tasksIndexedBy("idx_tasks_claim")).select((eb) => eb.fn.countAll().as("count")).where("status", "=", sql2.lit(TaskStatus.PENDING))
);
function filterShapeKey(filter) {
  return [
    filter.status === void 0 ? "" : filter.status === TaskStatus.PENDING ? "P" : "s",
    filter.assignedAgent === void 0 ? "" : "a",
    filter.priority === void 0 ? "" : "p",
    filter.limit === void 0 ? "" : "l",
    filter.offset === void 0 ? "" : "o"
  ].join("");
}
function filtered(filter) {
  let query = builder.selectFrom(filter.status === TaskStatus.PENDING ? tasksIndexedBy("idx_tasks_claim") : "tasks").select(TASK_COLUMNS);
  if (filter.status === TaskStatus.PENDING) query = query.where("status", "=", sql2.lit(TaskStatus.PENDING));
  else if (filter.status !== void 0) query = query.where("status", "=", param("status"));
  if (filter.assignedAgent !== void 0) query = query.where("assigned_agent", "=", param("assignedAgent"));
  if (filter.priority !== void 0) query = query.where("priority", "=", param("priority"));
  return query;
}
function selectFiltered(filter) {
  let query = filtered(filter).$call(inClaimOrder);
  if (filter.limit !== void 0 || filter.offset !== void 0) {
    query = query.limit(filter.limit === void 0 ? sql2.lit(-1) : param("limit"));
  }
  if (filter.offset !== void 0) query = query.offset(param("offset"));
  return compile(query);
}
function selectAfter(filter, part) {
  const query = part === "same-priority" ? filtered(filter).where("priority", "=", param("cursorPriority")).where(sql2`(created_at, seq) > (${param("cursorCreatedAt")}, ${param("cursorSeq")})`).orderBy("created_at", "asc").orderBy("seq", "asc") : filtered(filter).where("priority", "<", param("cursorPriority")).$call(inClaimOrder);
  return compile(query.limit(param("limit")));
}

// src/task-row.ts
function taskFromRow(row) {
  const [
    ,
    id,
    title,
    description,
    status,
    priority,
    agent,
    createdAt,
    updatedAt,
    startedAt,
    completedAt,
    result,
    error,
    metadata
  ] = row;
  return {
    id,
    title,
    description,
    status,
    priority,
    assignedAgent: agent ?? void 0,
    createdAt,
    updatedAt,
    startedAt: startedAt ?? void 0,
    completedAt: completedAt ?? void 0,
    result: result ?? void 0,
    error: error ?? void 0,
    metadata: metadata === null ? void 0 : JSON.parse(metadata)
  };
}
function rowFromTask(task, seq, metadataJson, version) {
  return [
    seq,
    task.id,
    task.title,
    task.description,
    task.status,
    task.priority,
    task.assignedAgent ?? null,
    task.createdAt,
    task.updatedAt,
    task.startedAt ?? null,
    task.completedAt ?? null,
    task.result ?? null,
    task.error ?? null,
    metadataJson,
    version
  ];
}

// src/task-pool.ts
var TaskPool = class {
  specificationVersion = TASK_STORE_SPECIFICATION_VERSION;
  /** The better-sqlite3 handle. Private, but the guide's raw-SQL examples reach it as `pool['db']`. */
  db;
  clock;
  limits;
  statements;
  filterStatements = /* @__PURE__ */ new Map();
  /**
   * The rows this pool last claimed or updated, by task id (a few hundred at most). updateTask plans from
   * one instead of reading it again; the version compare-and-set catches a row changed since.
   */
  recentRows = /* @__PURE__ */ new Map();
  readAfterInSnapshot;
  readStats;
  closed = false;
  /**
   * @param dbPath A database file, created when missing; `':memory:'` (the default) for a private
   * in-memory pool.
   */
  constructor(dbPath = ":memory:", options = {}) {
    this.clock = options.clock ?? systemClock;
    this.limits = { maxMetadataBytes: options.maxMetadataBytes ?? DEFAULT_MAX_METADATA_BYTES };
    this.db = openDatabase(dbPath, {
      busyTimeoutMs: options.busyTimeoutMs ?? 1e4,
      synchronous: options.synchronous ?? "normal"
    });
    const prepare = (shape) => new PreparedQuery(this.db, shape);
    this.statements = {
      insert: prepare(insertTask),
      insertFromJson: prepare(insertTasksFromJson),
      claim: prepare(claimNext),
      selectById: prepare(selectById),
      writePlanned: prepare(writePlanned),
      deleteById: prepare(deleteById),
      deleteAll: prepare(deleteAll),
      counts: prepare(selectCounts),
      countPending: prepare(countPending)
    };
    const readStats = this.db.transaction(() => ({
      counters: this.statements.counts.all(),
      pending: this.statements.countPending.get()[0]
    }));
    this.readStats = () => readStats.deferred();
    this.readAfterInSnapshot = this.db.transaction((valid, after, named) => this.readAfter(valid, after, named));
  }
  /**
   * Add a PENDING task. Priority defaults to MEDIUM.
   *
   * ### Examples
   * ```ts
   * const task = pool.createTask({ title: 'Build user API', description: 'CRUD endpoints', priority: TaskPriority.HIGH });
   * ```
   */
  createTask(input) {
    this.assertOpen("createTask");
    return this.createTasks([input])[0];
  }
  /**
   * Add many PENDING tasks in one transaction, in order. One invalid input refuses the whole batch.
   *
   * ### Examples
   * ```ts
   * pool.createTasks([{ title: 'a', description: 'first' }, { title: 'b', description: 'second' }]);
   * ```
   */
  createTasks(inputs) {
    this.assertOpen("createTasks");
    const valid = inputs.map((input) => validateCreateInput(input, this.limits));
    const now = this.clock.now();
    const tasks = valid.map((input) => newPendingTask(input, now));
    this.guard("createTasks", void 0, () => {
      if (tasks.length === 1) {
        const task = tasks[0];
        const { id, title, description, priority } = task;
        this.statements.insert.run({ id, title, description, priority, now, metadata: valid[0]?.metadataJson ?? null });
      } else if (tasks.length > 1) {
        const rows = tasks.map((t, i) => [t.id, t.title, t.description, t.priority, valid[i]?.metadataJson ?? null]);
        this.statements.insertFromJson.run({ rows: JSON.stringify(rows), now });
      }
    });
    return tasks;
  }
  /**
   * Atomically claim the next pending task: highest priority, then oldest, then first created.
   *
   * ### Examples
   * ```ts
   * const task = pool.claimTask('agent-worker-1');
   * if (task) console.log(`Claimed: ${task.title}`);
   * ```
   */
  claimTask(agentName) {
    this.assertOpen("claimTask");
    const agent = validateAgentName(agentName);
    const now = this.clock.now();
    const row = this.guard("claimTask", void 0, () => this.statements.claim.get({ agent, now }));
    if (!row) return null;
    this.remember(row);
    return taskFromRow(row);
  }
  /** The task with this id, or `null`. */
  getTask(id) {
    this.assertOpen("getTask");
    const taskId = validateTaskId(id);
    const row = this.guard("getTask", taskId, () => this.statements.selectById.get({ id: taskId }));
    return row ? taskFromRow(row) : null;
  }
  /**
   * Change a task. A refused status change throws `InvalidTransitionError` and writes nothing.
   *
   * ### Examples
   * ```ts
   * pool.updateTask(task.id, { status: TaskStatus.COMPLETED, result: 'Successfully implemented feature' });
   * ```
   */
  updateTask(id, update) {
    this.assertOpen("updateTask");
    const taskId = validateTaskId(id);
    const { metadataJson, ...fields } = validateUpdateInput(taskId, update, this.limits);
    return this.guard("updateTask", taskId, () => {
      for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
        const remembered = attempt === 0 ? this.recentRows.get(taskId) : void 0;
        this.recentRows.delete(taskId);
        const row = remembered ?? this.statements.selectById.get({ id: taskId });
        if (!row) return null;
        let next;
        try {
          next = planUpdate(taskFromRow(row), fields, this.clock.now());
        } catch (error) {
          if (remembered) continue;
          throw error;
        }
        const written = rowFromTask(next, row[ROW.seq], metadataJson ?? row[ROW.metadata], row[ROW.version] + 1);
        const changed = this.statements.writePlanned.run({
          seq: written[ROW.seq],
          id: taskId,
          status: written[ROW.status],
          assigned_agent: written[ROW.assignedAgent],
          updated_at: written[ROW.updatedAt],
          started_at: written[ROW.startedAt],
          completed_at: written[ROW.completedAt],
          result: written[ROW.result],
          error: written[ROW.error],
          metadata: written[ROW.metadata],
          version: row[ROW.version]
        }).changes;
        if (changed === 1) {
          if (!isTerminal(next.status)) this.remember(written);
          if (metadataJson !== void 0) next.metadata = JSON.parse(metadataJson);
          return next;
        }
      }
      throw new StorageError(
        `updateTask gave up on task ${taskId}: another writer changed it before each of ${MAX_UPDATE_ATTEMPTS} attempts. Retry, or find what rewrites it in a loop.`,
        { taskId }
      );
    });
  }
  /** Keep a row for the next updateTask of its task, unless it is large; the oldest go first. */
  remember(row) {
    const size = (row[ROW.metadata]?.length ?? 0) + (row[ROW.result]?.length ?? 0) + (row[ROW.error]?.length ?? 0);
    if (size > MAX_REMEMBERED_ROW_CHARS) return;
    this.recentRows.set(row[ROW.id], row);
    if (this.recentRows.size > MAX_REMEMBERED_ROWS) {
      this.recentRows.delete(this.recentRows.keys().next().value);
    }
  }
  /**
   * Matching tasks, by priority (highest first) then age (oldest first). Page with `limit`/`offset`.
   *
   * ### Examples
   * ```ts
   * const criticalPending = pool.getTasks({ status: TaskStatus.PENDING, priority: TaskPriority.CRITICAL });
   * ```
   */
  getTasks(filter) {
    this.assertOpen("getTasks");
    const valid = validateFilter(filter);
    const named = {};
    if (valid.status !== void 0 && valid.status !== TaskStatus.PENDING) named.status = valid.status;
    if (valid.assignedAgent !== void 0) named.assignedAgent = valid.assignedAgent;
    if (valid.priority !== void 0) named.priority = valid.priority;
    if (valid.limit !== void 0) named.limit = valid.limit;
    if (valid.offset !== void 0) named.offset = valid.offset;
    const rows = this.guard(
      "getTasks",
      valid.after,
      () => valid.after === void 0 ? this.filterStatement(valid, "page", selectFiltered).all(named) : this.readAfterInSnapshot.deferred(valid, valid.after, named)
    );
    return rows.map(taskFromRow);
  }
  /** Keyset paging: the rest of the cursor's priority, then lower priorities, in one read snapshot. */
  readAfter(valid, after, named) {
    const cursor = this.statements.selectById.get({ id: after });
    if (!cursor) throw unknownCursor(after);
    const limit = valid.limit ?? -1;
    const keys = {
      ...named,
      cursorPriority: cursor[ROW.priority],
      cursorCreatedAt: cursor[ROW.createdAt],
      cursorSeq: cursor[ROW.seq]
    };
    const same = this.filterStatement(valid, "same-priority", (f) => selectAfter(f, "same-priority"));
    const rows = same.all({ ...keys, limit });
    if (limit !== -1 && rows.length >= limit) return rows;
    const lower = this.filterStatement(valid, "lower-priority", (f) => selectAfter(f, "lower-priority"));
    return rows.concat(lower.all({ ...keys, limit: limit === -1 ? -1 : limit - rows.length }));
  }
  /** The prepared statement for one filter shape and query kind, prepared on first use. */
  filterStatement(valid, kind, build) {
    const key = `${kind}:${filterShapeKey(valid)}`;
    let statement = this.filterStatements.get(key);
    if (!statement) {
      statement = new PreparedQuery(this.db, build(valid));
      this.filterStatements.set(key, statement);
    }
    return statement;
  }
  /**
   * Counts by status, in one snapshot. Pending is an index-only count over the claim index; the total
   * and the in-progress, completed, failed and cancelled counts are counters kept by triggers; claimed is
   * the rest. So the cost follows the queue, never the size of the history, and a claim writes no
   * counter.
   *
   * ### Examples
   * ```ts
   * const stats = pool.getStats();
   * console.log(`Progress: ${stats.completed}/${stats.total}`);
   * ```
   */
  getStats() {
    this.assertOpen("getStats");
    const { counters, pending } = this.guard("getStats", void 0, this.readStats);
    const stats = emptyStats();
    for (const [name, count] of counters) {
      if (name === "total") stats.total = count;
      else stats[STATS_KEY[name]] = count;
    }
    stats.pending = pending;
    stats.claimed = stats.total - pending - stats.inProgress - stats.completed - stats.failed - stats.cancelled;
    return stats;
  }
  /** `true` if the task existed and was deleted, `false` if there was no such task. */
  deleteTask(id) {
    this.assertOpen("deleteTask");
    const taskId = validateTaskId(id);
    this.recentRows.delete(taskId);
    return this.guard("deleteTask", taskId, () => this.statements.deleteById.run({ id: taskId }).changes > 0);
  }
  /** Delete every task. Destructive and cannot be undone. */
  clearAll() {
    this.assertOpen("clearAll");
    this.recentRows.clear();
    this.guard("clearAll", void 0, () => this.statements.deleteAll.run());
  }
  /** Close the database. Later calls throw `StoreClosedError`; closing twice is harmless. */
  close() {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
  assertOpen(operation) {
    if (this.closed) throw new StoreClosedError(operation);
  }
  /** Run storage work, turning driver errors into `StorageError`s that say what failed and what to do. */
  guard(operation, taskId, work) {
    try {
      return work();
    } catch (error) {
      if (OmcError.isInstance(error)) throw error;
      const code = error.code;
      const advice = code === "SQLITE_BUSY" ? " Another process held the write lock longer than busyTimeoutMs; raise it or shorten long transactions." : "";
      throw new StorageError(
        `${operation} failed in SQLite${taskId ? ` for task ${taskId}` : ""}: ${error.message}.${advice}`,
        { taskId, cause: error }
      );
    }
  }
};
var MAX_REMEMBERED_ROWS = 256;
var MAX_REMEMBERED_ROW_CHARS = 16 * 1024;
var MAX_UPDATE_ATTEMPTS = 50;
export {
  APPLICATION_ID,
  ForeignDatabaseError,
  InvalidInputError,
  InvalidTransitionError,
  NotADatabaseError,
  OmcError,
  SCHEMA_VERSION,
  SchemaTooNewError,
  StorageError,
  StoreClosedError,
  TaskPool,
  TaskPriority,
  TaskStatus
};
