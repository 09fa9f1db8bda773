import type { Task } from './task.js';

/**
 * The claim and listing order, as data: priority DESC, then oldest, then first created (`seq`, the
 * store's creation sequence, so tasks created in one millisecond stay FIFO). Core sorts by it
 * ({@link compareClaimOrder}); a database driver compiles the same list into its ORDER BY.
 */
export const CLAIM_ORDER: readonly { readonly key: 'priority' | 'createdAt' | 'seq'; readonly descending: boolean }[] =
  [
    { key: 'priority', descending: true },
    { key: 'createdAt', descending: false },
    { key: 'seq', descending: false },
  ];

/** A task and its creation sequence, as claim order compares them. */
export interface Sequenced {
  task: Pick<Task, 'priority' | 'createdAt'>;
  seq: number;
}

/**
 * Compare two tasks in {@link CLAIM_ORDER}.
 *
 * ### Examples
 * ```ts
 * stored.sort(compareClaimOrder);
 * ```
 */
export function compareClaimOrder(a: Sequenced, b: Sequenced): number {
  for (const { key, descending } of CLAIM_ORDER) {
    const left = key === 'seq' ? a.seq : a.task[key];
    const right = key === 'seq' ? b.seq : b.task[key];
    if (left !== right) return descending ? right - left : left - right;
  }
  return 0;
}

/**
 * Who may claim what: with `capabilities`, only a task whose `requires` are all among them (a task that
 * requires nothing always qualifies, unless `exclusive`, which takes only tasks that require something);
 * without `capabilities`, any task.
 *
 * ### Examples
 * ```ts
 * mayClaim(['review'], ['review', 'code'], false); // true
 * ```
 */
export function mayClaim(
  requires: readonly string[] | undefined,
  capabilities: readonly string[] | undefined,
  exclusive: boolean,
): boolean {
  if (capabilities === undefined) return true;
  if (requires === undefined) return !exclusive;
  return requires.every((need) => capabilities.includes(need));
}
