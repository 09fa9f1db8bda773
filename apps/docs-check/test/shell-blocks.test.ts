import { describe, expect, it } from 'vitest';
import type { CodeBlock } from '../src/markdown.js';
import { readMarker, shellCommands } from '../src/shell-blocks.js';

const block = (lines: string[], comment?: string): CodeBlock => ({
  file: 'X/README.md',
  line: 10,
  lang: 'sh',
  lines,
  comment,
});

describe('README shell blocks', () => {
  it('runs every command of an unmarked block, one per line, without blank or comment lines', () => {
    const commands = shellCommands(block(['pnpm install   # first', '', '# a note', 'pnpm --filter a \\', '  start']));
    expect(commands).toEqual([
      { blockLine: 1, text: 'pnpm install   # first', notRun: undefined },
      { blockLine: 4, text: 'pnpm --filter a   start', notRun: undefined },
    ]);
  });

  it('a comment that is not a marker changes nothing', () => {
    expect(shellCommands(block(['pnpm demo'], 'needs a key'))[0]?.notRun).toBeUndefined();
  });

  it('<!-- not run: why --> skips the whole block, and says why', () => {
    const commands = shellCommands(block(['pnpm add x', 'pnpm add y'], 'not run: installs from the registry'));
    expect(commands.map((c) => c.notRun)).toEqual(['installs from the registry', 'installs from the registry']);
  });

  it('<!-- not run (lines 1, 3-4): why --> skips only those lines of the block', () => {
    const commands = shellCommands(block(['a', 'b', 'c', 'd', 'e'], 'not run (lines 1, 3-4): too slow'));
    expect(commands.map((c) => `${c.text}:${c.notRun ?? 'run'}`)).toEqual([
      'a:too slow',
      'b:run',
      'c:too slow',
      'd:too slow',
      'e:run',
    ]);
    expect(readMarker(block(['a', 'b'], 'not run (line 2): slow'))).toEqual({ lines: [2], reason: 'slow' });
  });

  it('refuses a marker without a reason, or naming a line the block does not have', () => {
    expect(() => readMarker(block(['a'], 'not run'))).toThrow('X/README.md:10: a "not run" marker must say why');
    expect(() => readMarker(block(['a'], 'not run (line 3): slow'))).toThrow(
      'names a line the block does not have (1 to 1)',
    );
  });
});
