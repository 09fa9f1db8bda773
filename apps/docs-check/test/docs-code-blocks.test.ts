// Every TypeScript block of the prose docs (docs/*.md, not the guide, which the packages' guide-examples
// tests run, nor the generated docs/api) is an excerpt of a program in examples/, named on its first line
// (`// examples/autopilot.ts`). Those programs are type-checked and run by the examples' own test, so a
// block that stops compiling or running, or drifts from its program, fails CI.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { codeBlocks, markdownFiles, REPO_ROOT } from '../src/markdown.js';

const PROSE = markdownFiles().filter(
  (f) => /^docs\/[^/]+\.md$/.test(f) && f !== 'docs/task-management-guide.md' && f !== 'docs/README.md',
);
const blocks = PROSE.flatMap((file) => codeBlocks(file)).filter((b) => ['ts', 'typescript'].includes(b.lang));

it('the prose docs have TypeScript blocks to check', () => {
  expect(PROSE).toContain('docs/modes.md');
  expect(blocks.length).toBeGreaterThan(0);
});

for (const block of blocks) {
  it(`${block.file}:${block.line} is an excerpt of the example it names`, () => {
    const [first = '', ...body] = block.lines;
    const name = /^\/\/ (examples\/[\w.-]+\.ts)$/.exec(first.trim())?.[1];
    expect(name, 'the block must open with `// examples/<file>.ts`, naming the program it is taken from').toBeDefined();
    const program = readFileSync(join(REPO_ROOT, name as string), 'utf8');
    expect(program, `the block is not a verbatim excerpt of ${name}: copy it from there`).toContain(body.join('\n'));
  });
}
