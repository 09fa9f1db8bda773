// The pool in ten lines: create, claim atomically, complete, count. `new TaskPool()` would be in-memory.
import { TaskPool, TaskPriority, TaskStatus } from '@omc/store-sqlite';

const pool = new TaskPool('./tasks.db');
pool.createTask({ title: 'Fix login', description: 'Patch SQL injection', priority: TaskPriority.CRITICAL });
pool.createTask({ title: 'Write docs', description: 'Document the API' }); // MEDIUM by default

const task = pool.claimTask('agent-1'); // atomic: no other agent or process gets it
if (!task) throw new Error('nothing to claim');
pool.updateTask(task.id, { status: TaskStatus.IN_PROGRESS });
pool.updateTask(task.id, { status: TaskStatus.COMPLETED, result: 'patched' });
console.log(`agent-1 did "${task.title}"`);
const { total, pending, completed } = pool.getStats();
console.log(`total ${total}, pending ${pending}, completed ${completed}`);
pool.close();
