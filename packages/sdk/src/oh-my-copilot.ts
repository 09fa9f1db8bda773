import { TaskPool, type TaskPoolOptions } from '@omc/store-sqlite';
import { Swarm, type SwarmOptions } from '@omc/swarm';
import { type AutopilotOptions, type AutopilotResult, runAutopilot } from './autopilot.js';
import { type EcoOptions, runEco } from './eco.js';
import type { ModeContext, ModeTaskResult, RoleAgentFactory } from './mode-run.js';
import { defaultRoleAgents } from './role-agents.js';
import { runUltra, type UltraItem, type UltraOptions } from './ultra.js';

/** Options of {@link OhMyCopilot}. */
export interface OhMyCopilotOptions {
  /** The SQLite file of the task pool. Default `:memory:` (nothing persists), as for `new TaskPool()`. */
  dbPath?: string;
  /** Options of the pool (lease length, attempts, clock…). */
  pool?: TaskPoolOptions;
  /** Options of the swarm `getSwarm()` returns and of the swarms the modes run. */
  swarm?: SwarmOptions;
  /**
   * How the modes make their role agents; default: `@omc/agents`' role agents on the model `resolveModel()`
   * picks (the offline scripted model unless `OPENAI_API_KEY` or `OMC_BASE_URL` is set).
   */
  roleAgents?: Partial<RoleAgentFactory>;
}

/**
 * The guide's facade: one persistent task pool, one swarm over it, and the execution modes.
 *
 * - swarm: `getSwarm()`, register agents, create tasks in `getTaskPool()`, `start()`;
 * - autopilot: `autopilot(goal)` runs architect → executor → QA tester → security reviewer as a chain of
 *   dependent tasks in the pool, so a crashed run resumes where it stopped when started again;
 * - ultrawork: `ultra(items)` runs tasks in parallel, each by its own agent, through the pool;
 * - ecomode: `eco(goal)` runs one task with one agent on the cheapest model, one at a time.
 *
 * ### Examples
 * ```ts
 * const omc = new OhMyCopilot({ dbPath: './swarm-tasks.db' });
 * const swarm = omc.getSwarm();
 * swarm.registerAgent(new ExecutorAgent());
 * omc.getTaskPool().createTask({ title: 'Task 1', description: 'Work to do', priority: TaskPriority.HIGH });
 * await swarm.start({ stopWhenEmpty: true });
 * omc.close();
 * ```
 */
export class OhMyCopilot {
  readonly #pool: TaskPool;
  readonly #swarmOptions: SwarmOptions | undefined;
  readonly #roleAgents: RoleAgentFactory;
  #swarm: Swarm | undefined;

  constructor(options: OhMyCopilotOptions = {}) {
    this.#pool = new TaskPool(options.dbPath ?? ':memory:', options.pool);
    this.#swarmOptions = options.swarm;
    this.#roleAgents = { ...defaultRoleAgents, ...options.roleAgents };
  }

  /** The task pool every mode works through (the guide's `TaskPool` API). */
  getTaskPool(): TaskPool {
    return this.#pool;
  }

  /** The swarm over the pool: the same object on every call. */
  getSwarm(): Swarm {
    this.#swarm ??= new Swarm(this.#pool, this.#swarmOptions);
    return this.#swarm;
  }

  /**
   * Autopilot: architect → executor → QA tester → security reviewer on `goal`, as four dependent tasks
   * in the pool. Calling it again with the same goal (after a crash, say) resumes the same run: finished
   * stages are not redone. Resolves when the last stage is finished, failed or cancelled.
   *
   * ### Examples
   * ```ts
   * const run = await omc.autopilot('Build authentication system');
   * for (const stage of run.stages) console.log(stage.role, stage.status, stage.content);
   * ```
   */
  autopilot(goal: string, options?: AutopilotOptions): Promise<AutopilotResult> {
    return runAutopilot(this.#modeContext(), goal, options);
  }

  /**
   * Ultrawork: every item becomes a task in the pool, run in parallel, each by its own agent (default: an
   * executor). Resolves with one result per item, in order, when all are finished.
   *
   * ### Examples
   * ```ts
   * const results = await omc.ultra([
   *   { title: 'Task 1', agent: new ExecutorAgent() },
   *   { title: 'Task 2', agent: new ExecutorAgent() },
   * ]);
   * ```
   */
  ultra(items: readonly UltraItem[], options?: UltraOptions): Promise<ModeTaskResult[]> {
    return runUltra(this.#modeContext(), items, options);
  }

  /**
   * Ecomode: one task, one executor on the cheapest model, concurrency 1.
   *
   * ### Examples
   * ```ts
   * const { content } = await omc.eco('Simple task');
   * ```
   */
  eco(goal: string, options?: EcoOptions): Promise<ModeTaskResult> {
    return runEco(this.#modeContext(), goal, options);
  }

  /** Close the pool (stop the swarm first). Closing twice is a no-op. */
  close(): void {
    this.#pool.close();
  }

  #modeContext(): ModeContext {
    return {
      pool: this.#pool,
      newSwarm: () => new Swarm(this.#pool, this.#swarmOptions),
      roleAgents: this.#roleAgents,
    };
  }
}
