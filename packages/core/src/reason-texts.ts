import type { Task } from './task.js';

/**
 * A reason text a store records (a task's error, a history line's reason), as data: core renders it for
 * a task, and a database driver compiles the same parts into an SQL expression over the row, so the
 * wording is stated once.
 *
 * - a string: itself;
 * - `field`: a task field's value (`missing` when unset);
 * - `slot`: a value the write supplies (e.g. the dependency's id);
 * - `when`: one of two texts (`yes`, `no`), by a named condition the renderer (or driver) evaluates.
 */
export type TextPart =
  | string
  | { readonly field: 'attempts' | 'maxAttempts' | 'assignedAgent' | 'timeoutMs'; readonly missing?: string }
  | { readonly slot: 'dependency' | 'ending' }
  | { readonly when: 'timedOut'; readonly yes: readonly TextPart[]; readonly no: readonly TextPart[] };

/**
 * Why a lease ran out: `attempt 2 of 3 by agent-1: lease expired without a heartbeat`, or `…: timed out
 * after 5000 ms` when the lease ended at the attempt's deadline (condition `timedOut`).
 */
export const EXPIRY_REASON: readonly TextPart[] = [
  'attempt ',
  { field: 'attempts' },
  ' of ',
  { field: 'maxAttempts' },
  ' by ',
  { field: 'assignedAgent', missing: 'an unknown agent' },
  ': ',
  {
    when: 'timedOut',
    yes: ['timed out after ', { field: 'timeoutMs' }, ' ms'],
    no: ['lease expired without a heartbeat'],
  },
];

/** Why a task was cancelled for its dependency: `dependency <id> failed` (or `was cancelled`, `was deleted`). */
export const DEPENDENCY_REASON: readonly TextPart[] = ['dependency ', { slot: 'dependency' }, ' ', { slot: 'ending' }];

/** What a rendering reads: the task, the write's slots and the named conditions. */
export interface TextValues {
  task?: Pick<Task, 'attempts' | 'maxAttempts' | 'assignedAgent' | 'timeoutMs'>;
  slots?: Partial<Record<'dependency' | 'ending', string>>;
  conditions?: Partial<Record<'timedOut', boolean>>;
}

/**
 * Render a reason text.
 *
 * ### Examples
 * ```ts
 * renderText(DEPENDENCY_REASON, { slots: { dependency: 'T1', ending: 'failed' } }); // 'dependency T1 failed'
 * ```
 */
export function renderText(parts: readonly TextPart[], values: TextValues): string {
  let text = '';
  for (const part of parts) {
    if (typeof part === 'string') text += part;
    else if ('field' in part) text += String(values.task?.[part.field] ?? part.missing ?? '');
    else if ('slot' in part) text += values.slots?.[part.slot] ?? '';
    else text += renderText(values.conditions?.[part.when] ? part.yes : part.no, values);
  }
  return text;
}

/** `dependency <id> <ending>`: the error of a task cancelled because its dependency ended. */
export function dependencyReason(dependency: string, ending: string): string {
  return renderText(DEPENDENCY_REASON, { slots: { dependency, ending } });
}
