import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidInputError, OmcError } from '@omc/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommandAgent, UnsafeArgumentError } from '../src/index.js';
import { makeContext, makeTask } from './helpers.js';

const NODE = process.execPath;
const PRINT = 'process.stdout.write(JSON.stringify(process.argv.slice(1)))';

let dir: string;
let marker: string;
let evil: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'omc-argument-injection-'));
  marker = join(dir, 'loaded');
  // A module that leaves a marker when node loads it: the payload of the attack.
  evil = join(dir, 'evil.cjs');
  writeFileSync(evil, `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n`);
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('CommandAgent argument injection', () => {
  it('the attack is real: node reads --require=<file> after -e <script> as an option and loads the file', () => {
    // The argv the old agent built for args ['-e', script, '{{task.title}}'] and this title.
    spawnSync(NODE, ['-e', PRINT, `--require=${evil}`], { stdio: 'ignore' });
    expect(existsSync(marker)).toBe(true);
  });

  it('refuses a task whose title would become an option, typed, and starts nothing', async () => {
    const agent = new CommandAgent({ name: 'n', command: NODE, args: ['-e', PRINT, '{{task.title}}'] });
    const task = makeTask({ title: `--require=${evil}` });

    const error = await agent.execute(task, makeContext()).catch((e: unknown) => e);

    expect(existsSync(marker)).toBe(false);
    expect(UnsafeArgumentError.isInstance(error)).toBe(true);
    expect(OmcError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'OMC_UNSAFE_ARGUMENT',
      taskId: task.id,
      argumentIndex: 2,
      field: 'args[2]',
      placeholder: '{{task.title}}',
    });
    const message = (error as Error).message;
    expect(message).toContain(`Task ${task.id}: argument 2 ({{task.title}})`);
    expect(message).toContain('put a "--" element before it');
    expect(message).toContain('--title={{task.title}}');
  });

  it('refuses at argv[0] too: a title such as --eval=… would run code', async () => {
    const agent = new CommandAgent({ name: 'n', command: NODE, args: ['{{task.title}}'] });
    const title = `--eval=require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`;

    const error = await agent.execute(makeTask({ title }), makeContext()).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'OMC_UNSAFE_ARGUMENT', argumentIndex: 0 });
    expect(existsSync(marker)).toBe(false);
  });

  it('checks what the element renders to, whatever fills it: metadata, dependencies, an empty value', async () => {
    const cases: [string[], Parameters<typeof makeTask>[0], number][] = [
      [['{{metadata.path}}'], { metadata: { path: '-rf' } }, 0],
      [['-n', '{{metadata.count}}'], { metadata: { count: -1 } }, 1],
      [['{{task.description}}'], { description: '-' }, 0],
      // The placeholder is empty, so the literal that follows starts the element with "-".
      [['{{metadata.prefix}}-x'], { metadata: { prefix: '' } }, 0],
    ];
    for (const [args, fields, index] of cases) {
      const agent = new CommandAgent({ name: 'n', command: NODE, args: ['-e', PRINT, ...args] });
      const error = await agent.execute(makeTask(fields), makeContext()).catch((e: unknown) => e);
      expect(error, JSON.stringify(args)).toMatchObject({ code: 'OMC_UNSAFE_ARGUMENT', argumentIndex: index + 2 });
    }
    const byDependency = new CommandAgent({ name: 'd', command: NODE, args: ['{{dependency.0.result}}'] });
    const dependencies = [makeTask({ result: `--require=${evil}` })];
    await expect(byDependency.execute(makeTask(), makeContext({ dependencies }))).rejects.toMatchObject({
      code: 'OMC_UNSAFE_ARGUMENT',
    });
    expect(existsSync(marker)).toBe(false);
  });

  it('passes the same text unchanged after a literal "--" element: an operand, not an option', async () => {
    const agent = new CommandAgent({ name: 'n', command: NODE, args: ['-e', PRINT, '--', '{{task.title}}', '-x'] });
    const title = `--require=${evil}`;

    const result = await agent.execute(makeTask({ title }), makeContext());

    expect(JSON.parse(result!)).toEqual([title, '-x']);
    expect(existsSync(marker)).toBe(false);
  });

  it('passes it unchanged when the placeholder is joined to an option or a prefix', async () => {
    const agent = new CommandAgent({
      name: 'n',
      command: NODE,
      // node stops reading options at its first operand (x…), so the options after it reach the script.
      args: ['-e', PRINT, 'x{{task.title}}', '--title={{task.title}}', '-{{task.title}}'],
    });
    const title = `--require=${evil}`;

    const result = await agent.execute(makeTask({ title }), makeContext());

    expect(JSON.parse(result!)).toEqual([`x${title}`, `--title=${title}`, `-${title}`]);
    expect(existsSync(marker)).toBe(false);
  });

  it('lets ordinary text through where options are parsed', async () => {
    const agent = new CommandAgent({ name: 'n', command: NODE, args: ['-e', PRINT, '{{task.title}}'] });
    const result = await agent.execute(makeTask({ title: 'fix the -v flag' }), makeContext());
    expect(JSON.parse(result!)).toEqual(['fix the -v flag']);
  });

  it('refuses a placeholder in command when the agent is built: a task never chooses the program', () => {
    for (const command of ['{{task.title}}', '/usr/bin/{{metadata.tool}}']) {
      const build = () => new CommandAgent({ name: 'c', command, args: [] });
      expect(build).toThrow(InvalidInputError);
      expect(build).toThrow(/never filled from the task/);
    }
  });
});
