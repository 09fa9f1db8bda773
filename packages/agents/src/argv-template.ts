import { type AgentContext, InvalidInputError, type Task } from '@omc/core';
import { UnsafeArgumentError } from './errors.js';

type TaskField = 'id' | 'title' | 'description' | 'priority';
type DependencyField = 'id' | 'title' | 'result';

type Placeholder =
  | { scope: 'task'; field: TaskField }
  | { scope: 'metadata'; key: string }
  | { scope: 'dependency'; index: number; field: DependencyField }
  | { scope: 'attempt' }
  | { scope: 'workerName' };

type Segment = string | { placeholder: Placeholder; source: string };

/** What a template reads besides the task. */
export type TemplateContext = Pick<AgentContext, 'dependencies' | 'attempt' | 'workerName'>;

/** The placeholders a template may use, for error messages and docs. */
export const PLACEHOLDERS = [
  '{{task.id}}',
  '{{task.title}}',
  '{{task.description}}',
  '{{task.priority}}',
  '{{metadata.<key>}}',
  '{{dependency.<n>.id}}',
  '{{dependency.<n>.title}}',
  '{{dependency.<n>.result}}',
  '{{attempt}}',
  '{{workerName}}',
] as const;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const TASK_FIELDS: readonly string[] = ['id', 'title', 'description', 'priority'];
const DEPENDENCY = /^dependency\.(\d+)\.(id|title|result)$/;

/**
 * An argv array with `{{…}}` placeholders, checked once when the agent is built and filled per task.
 * Each placeholder is replaced inside its own element only, so whatever the task text holds (spaces,
 * quotes, `$(…)`, `;`) stays one argument and is never read by a shell.
 *
 * No shell does not mean no injection: the program itself parses its argv, so a task titled
 * `--require=evil.js` would be an option to `node -e script {{task.title}}`. An element that *starts*
 * with a placeholder and renders to text beginning with `-` is therefore refused
 * ({@link UnsafeArgumentError}) unless a literal `--` element comes before it (the conventional end of
 * options). A placeholder joined to literal text before it (`--title={{task.title}}`, `x{{task.title}}`)
 * can only ever be part of that element, so it passes unchanged.
 * @internal
 */
export class ArgvTemplate {
  private constructor(
    private readonly elements: readonly (readonly Segment[])[],
    /** Index of the first literal `--` element; elements after it are operands, never options. */
    private readonly endOfOptions: number,
  ) {}

  /** Parse `args`; an unknown placeholder is an `InvalidInputError` naming the element. */
  static compile(args: readonly string[], field = 'args'): ArgvTemplate {
    if (!Array.isArray(args)) {
      throw new InvalidInputError(field, `${field} must be an array of strings (one per argument).`);
    }
    const endOfOptions = args.indexOf('--');
    return new ArgvTemplate(
      args.map((arg, index) => parseElement(arg, `${field}[${index}]`)),
      endOfOptions === -1 ? args.length : endOfOptions,
    );
  }

  /** Fill the placeholders from `task` and `context`. Throws `InvalidInputError` (with the task id) for a
   *  metadata key or dependency the task does not have, and `UnsafeArgumentError` for task text that would
   *  become an option of the program. */
  render(task: Task, context: TemplateContext): string[] {
    return this.elements.map((segments, index) => {
      let out = '';
      for (const segment of segments) {
        out += typeof segment === 'string' ? segment : fill(segment.placeholder, segment.source, task, context, index);
      }
      const first = segments[0];
      if (index < this.endOfOptions && typeof first === 'object' && out.startsWith('-')) {
        throw new UnsafeArgumentError(task.id, index, first.source, out);
      }
      if (out.includes('\0')) {
        throw new InvalidInputError(
          `args[${index}]`,
          `Task ${task.id}: argument ${index} would contain a NUL byte, which no program argument can hold. Remove it from the task's text.`,
          { taskId: task.id },
        );
      }
      return out;
    });
  }
}

function parseElement(arg: unknown, field: string): Segment[] {
  if (typeof arg !== 'string') {
    throw new InvalidInputError(field, `${field} must be a string, got ${typeof arg}.`);
  }
  const segments: Segment[] = [];
  let last = 0;
  for (const match of arg.matchAll(PLACEHOLDER)) {
    if (match.index > last) segments.push(arg.slice(last, match.index));
    segments.push({ placeholder: parsePlaceholder(match[1] ?? '', match[0], field), source: match[0] });
    last = match.index + match[0].length;
  }
  if (last < arg.length) segments.push(arg.slice(last));
  return segments;
}

function parsePlaceholder(name: string, source: string, field: string): Placeholder {
  if (name === 'attempt') return { scope: 'attempt' };
  if (name === 'workerName') return { scope: 'workerName' };
  if (name.startsWith('task.') && TASK_FIELDS.includes(name.slice(5))) {
    return { scope: 'task', field: name.slice(5) as TaskField };
  }
  if (name.startsWith('metadata.') && name.length > 'metadata.'.length) {
    return { scope: 'metadata', key: name.slice('metadata.'.length) };
  }
  const dependency = DEPENDENCY.exec(name);
  if (dependency) {
    return { scope: 'dependency', index: Number(dependency[1]), field: dependency[2] as DependencyField };
  }
  throw new InvalidInputError(
    field,
    `${field} uses the unknown placeholder ${source}. Known placeholders: ${PLACEHOLDERS.join(', ')}.`,
  );
}

function fill(p: Placeholder, source: string, task: Task, context: TemplateContext, index: number): string {
  switch (p.scope) {
    case 'attempt':
      return String(context.attempt);
    case 'workerName':
      return context.workerName;
    case 'task':
      return String(task[p.field]);
    case 'metadata': {
      const metadata = task.metadata ?? {};
      if (!Object.hasOwn(metadata, p.key)) {
        throw missing(task, index, source, `the task has no metadata key "${p.key}"`, 'Add it to its metadata');
      }
      const value = metadata[p.key];
      return typeof value === 'string' ? value : JSON.stringify(value);
    }
    case 'dependency': {
      const dependency = context.dependencies[p.index];
      if (dependency === undefined) {
        throw missing(
          task,
          index,
          source,
          `the task has ${context.dependencies.length} dependencies (numbered from 0)`,
          'Give it that dependency',
        );
      }
      return dependency[p.field] ?? '';
    }
  }
}

function missing(task: Task, index: number, source: string, why: string, fix: string): InvalidInputError {
  return new InvalidInputError(
    `args[${index}]`,
    `Task ${task.id}: argument ${index} uses ${source}, but ${why}. ${fix}, or change the agent's args.`,
    { taskId: task.id },
  );
}
