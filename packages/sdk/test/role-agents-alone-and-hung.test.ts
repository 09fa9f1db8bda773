// The role agents outside a swarm (the guide's Swarm Worker Pattern, as written) and inside one when the
// model server hangs. Here rather than in @omc/agents: they need a real TaskPool and a real Swarm.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryTaskStore } from '@omc/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createModel, ExecutorAgent, Swarm, TaskPool, TaskStatus } from '../src/index.js';

describe("the guide's Swarm Worker Pattern with ExecutorAgent", () => {
  it('completes every task with the model content as its result', async () => {
    const taskPool = new TaskPool();
    const agent = new ExecutorAgent({ model: { provider: 'scripted' } });
    let isRunning = true;
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const descriptions = ['Implement the login form', 'Write the changelog', 'Add a health check'];
    const created = descriptions.map((description, i) =>
      taskPool.createTask({
        title: `Task ${i + 1}`,
        description,
        metadata: i === 0 ? { framework: 'react' } : undefined,
      }),
    );

    // From the guide, verbatim (one comment line added for the type checker; trailing spaces trimmed).
    // biome-ignore format: the guide's code as written
    async function runWorker(agentName: string): Promise<void> {
      while (isRunning) {
        // Atomically claim next task
        const task = taskPool.claimTask(agentName);

        if (!task) {
          await sleep(1000);  // No tasks, wait
          continue;
        }

        // Update to IN_PROGRESS
        taskPool.updateTask(task.id, { status: TaskStatus.IN_PROGRESS });

        try {
          // Execute task
          const result = await agent.execute({
            task: task.description,
            context: task.metadata
          });

          // Update with result
          taskPool.updateTask(task.id, {
            status: TaskStatus.COMPLETED,
            result: result.content
          });
        } catch (error) {
          // Update with error
          taskPool.updateTask(task.id, {
            status: TaskStatus.FAILED,
            // @ts-expect-error the guide reads .message of the catch variable, which strict TypeScript types unknown
            error: error.message
          });
        }
      }
    }

    const worker = runWorker('executor-1');
    await expect.poll(() => taskPool.getStats().completed + taskPool.getStats().failed).toBe(descriptions.length);
    isRunning = false;
    await worker;

    for (const [i, { id }] of created.entries()) {
      const task = taskPool.getTask(id)!;
      expect(task.status).toBe(TaskStatus.COMPLETED);
      // The content itself, not the JSON envelope the swarm stores.
      expect(task.result).toMatch(/^\[scripted \(offline\) executor\]/);
      expect(task.result).toContain(descriptions[i]);
      expect(task.error).toBeUndefined();
    }
    taskPool.close();
  });
});

describe('a model server that accepts the connection and never answers', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('fails each attempt with the model timeout, and the task after its last attempt', async () => {
    let requests = 0;
    let open = 0;
    server = createServer((request, response) => {
      requests += 1;
      open += 1;
      response.on('close', () => {
        open -= 1;
      });
      request.resume(); // read the request, answer nothing
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;

    const store = new MemoryTaskStore({ maxAttempts: 2, backoff: { baseMs: 1, maxMs: 1 } });
    const swarm = new Swarm(store);
    const model = createModel({ provider: 'openai-compatible', baseURL, model: 'slow-model' });
    // Long enough that a loaded machine delivers each request to the server before the client gives up on it.
    swarm.registerAgent(new ExecutorAgent({ model, timeoutMs: 1_000 }));
    const { id } = store.createTask({ title: 'Hung', description: 'The server will not answer.' });

    const summary = await swarm.start({ stopWhenEmpty: true });

    const task = store.getTask(id)!;
    expect(task.status).toBe(TaskStatus.FAILED);
    expect(task.attempts).toBe(2);
    expect(task.error).toBe(
      `ModelTimeoutError: Task ${id}: model openai-compatible:slow-model did not answer within 1000 ms, so the request was aborted. Raise the agent's timeoutMs if the model needs longer, or check that its server is up and answering.`,
    );
    expect(summary.failed).toBe(1);
    expect(requests).toBe(2); // one request per attempt: the timeout is not retried inside an attempt
    await expect.poll(() => open).toBe(0); // no request left open
  });
});
