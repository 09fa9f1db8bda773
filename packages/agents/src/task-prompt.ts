import type { Task } from '@omc/core';
import { parseAgentResult } from './agent-result.js';

/** Longest piece of a dependency's result passed on, so a long chain cannot overflow the context. */
const MAX_DEPENDENCY_CHARS = 8000;

/**
 * The user prompt a role agent sends: the task's title, description and metadata, then each dependency's
 * result (its content, for a role agent's JSON result).
 * @internal
 */
export function taskPrompt(task: Task, dependencies: readonly Task[]): string {
  const parts = [`Task: ${task.title}`, `Task id: ${task.id}`, '', 'Description:', task.description];
  if (task.metadata !== undefined && Object.keys(task.metadata).length > 0) {
    parts.push('', 'Metadata (JSON):', JSON.stringify(task.metadata, null, 2));
  }
  if (dependencies.length > 0) {
    parts.push('', 'Results of the tasks this one depends on:');
    dependencies.forEach((dependency, index) => {
      const { content } = parseAgentResult(dependency.result);
      const text =
        content.length <= MAX_DEPENDENCY_CHARS
          ? content
          : `${content.slice(0, MAX_DEPENDENCY_CHARS)}\n[… ${content.length - MAX_DEPENDENCY_CHARS} more characters cut]`;
      parts.push('', `### Dependency ${index + 1}: ${dependency.title} (${dependency.id})`, text || '(no result)');
    });
  }
  return parts.join('\n');
}

/**
 * The user prompt for the guide's call shape, `execute({ task: description, context: metadata })`: the
 * text (its first line doubles as the title) and the context as JSON.
 * @internal
 */
export function requestPrompt(text: string, context: unknown): string {
  const parts = [`Task: ${text}`];
  if (
    context !== undefined &&
    context !== null &&
    !(typeof context === 'object' && Object.keys(context).length === 0)
  ) {
    parts.push('', 'Context (JSON):', JSON.stringify(context, null, 2));
  }
  return parts.join('\n');
}
