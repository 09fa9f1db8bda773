import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A fenced code block of a Markdown file. */
export interface CodeBlock {
  /** Path from the repository root, e.g. `apps/demo/README.md`. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The info string's first word: `sh`, `ts`… (empty when none). */
  lang: string;
  /** The lines between the fences. */
  lines: string[];
  /** The text of an HTML comment on the line right before the fence (blank lines between allowed), if any. */
  comment?: string;
}

/** Every fenced code block of `file` (a path from the repository root), in order. */
export function codeBlocks(file: string): CodeBlock[] {
  const text = readFileSync(join(REPO_ROOT, file), 'utf8').split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < text.length; i++) {
    const open = /^(`{3,}|~{3,})\s*([^\s`]*)/.exec(text[i] as string);
    if (!open) continue;
    const fence = open[1] as string;
    const start = i;
    const lines: string[] = [];
    for (i++; i < text.length && !(text[i] as string).startsWith(fence); i++) lines.push(text[i] as string);
    let before = start - 1;
    while (before >= 0 && (text[before] as string).trim() === '') before--;
    const comment = before >= 0 ? /^<!--\s*(.*?)\s*-->$/.exec((text[before] as string).trim())?.[1] : undefined;
    blocks.push({ file, line: start + 1, lang: open[2] ?? '', lines, comment });
  }
  return blocks;
}

/** The files git would commit (tracked, or new and not ignored) that exist, as paths from the repository root. */
export function repositoryFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  return [...new Set(out.split('\0'))].filter((f) => f !== '' && existsSync(join(REPO_ROOT, f)));
}

/** The repository's Markdown files, only those named `name` when given (e.g. `README.md`), the root's first. */
export function markdownFiles(name?: string): string[] {
  const depth = (f: string) => f.split('/').length;
  return repositoryFiles()
    .filter((f) => f.endsWith('.md') && (name === undefined || f === name || f.endsWith(`/${name}`)))
    .sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
}
