import type { CodeBlock } from './markdown.js';

/** Languages of the fenced blocks a reader would paste into a shell. */
export const SHELL_LANGS = new Set(['sh', 'bash', 'shell']);

/** One command of a shell block: a line, or lines joined by trailing backslashes. */
export interface ShellCommand {
  /** 1-based line of the command within its block. */
  blockLine: number;
  text: string;
  /** Why it is not run, when its block's marker says so. */
  notRun?: string;
}

/** What the marker before a block says: nothing, or which lines are not run and why. */
export interface NotRunMarker {
  /** The block lines (1-based) not run; `undefined` for the whole block. */
  lines?: number[];
  reason: string;
}

/**
 * Reads `<!-- not run: reason -->` (the whole block) or `<!-- not run (lines 2, 3): reason -->` (those
 * lines of the block). Any other comment is not a marker. A marker without a reason is an error.
 */
export function readMarker(block: CodeBlock): NotRunMarker | undefined {
  const match = /^not run\b(?:\s*\(lines?\s+([\d,\s-]+)\))?\s*:?\s*(.*)$/i.exec(block.comment ?? '');
  if (!match) return undefined;
  const [, lineList, reason = ''] = match;
  const where = `${block.file}:${block.line}`;
  if (reason.trim() === '')
    throw new Error(`${where}: a "not run" marker must say why, e.g. <!-- not run: installs from the registry -->`);
  if (lineList === undefined) return { reason: reason.trim() };
  const lines = lineList.split(',').flatMap((part) => {
    const [from, to = from] = part.split('-').map((n) => Number.parseInt(n.trim(), 10));
    if (
      !Number.isInteger(from) ||
      !Number.isInteger(to) ||
      (from as number) < 1 ||
      (to as number) > block.lines.length
    ) {
      throw new Error(
        `${where}: "not run (lines ${lineList})" names a line the block does not have (1 to ${block.lines.length})`,
      );
    }
    return Array.from({ length: (to as number) - (from as number) + 1 }, (_, i) => (from as number) + i);
  });
  return { lines, reason: reason.trim() };
}

/** The commands of a shell block, blank and comment-only lines left out, each with its marker's verdict. */
export function shellCommands(block: CodeBlock): ShellCommand[] {
  const marker = readMarker(block);
  const commands: ShellCommand[] = [];
  for (let i = 0; i < block.lines.length; i++) {
    const blockLine = i + 1;
    let text = block.lines[i] as string;
    while (text.endsWith('\\') && i + 1 < block.lines.length) text = `${text.slice(0, -1)}${block.lines[++i]}`;
    if (text.trim() === '' || text.trim().startsWith('#')) continue;
    const notRun =
      marker && (marker.lines === undefined || marker.lines.includes(blockLine)) ? marker.reason : undefined;
    commands.push({ blockLine, text: text.trim(), notRun });
  }
  return commands;
}
