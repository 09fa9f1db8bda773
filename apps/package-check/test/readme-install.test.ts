import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishedPackages } from '../src/workspace.js';

const packages = publishedPackages();
const byName = new Map(packages.map((pkg) => [pkg.name, pkg]));

// `@omc/core/testing` → `@omc/core`, `ai` → `ai`; node builtins and relative paths are not installed.
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('node:')) return undefined;
  return specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
}

function codeBlocks(markdown: string, languages: string[]): string[] {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```/gm)]
    .filter((match) => languages.includes(match[1]!))
    .map((match) => match[2]!);
}

// Every package a `pnpm add` names, in any shell block or inline code span of the README (`… && pnpm
// approve-builds` allowed).
function installed(markdown: string): Set<string> {
  const names = new Set<string>();
  const inline = [...markdown.matchAll(/`(pnpm add [^`]+)`/g)].map((match) => match[1]!);
  for (const block of [...codeBlocks(markdown, ['sh', 'bash', 'shell']), ...inline]) {
    for (const command of block.replace(/#.*$/gm, '').split(/&&|;|\n/)) {
      const [tool, verb, ...args] = command.trim().split(/\s+/);
      if (tool === 'pnpm' && verb === 'add') for (const arg of args) if (!arg.startsWith('-')) names.add(arg);
    }
  }
  return names;
}

// A README's example must run after its own install line: the line names every package the example
// imports, and the peers those packages require (better-sqlite3).
describe.each(packages.filter((pkg) => existsSync(join(pkg.dir, 'README.md'))))('README of $name', (pkg) => {
  it('installs every package its examples import, with their required peers', () => {
    const readme = readFileSync(join(pkg.dir, 'README.md'), 'utf8');
    const imported = new Set<string>([pkg.name]);
    for (const block of codeBlocks(readme, ['ts', 'typescript', 'js', 'mjs'])) {
      for (const [, specifier] of block.matchAll(/from\s+'([^']+)'/g)) {
        const name = packageOf(specifier!);
        if (name) imported.add(name);
      }
    }
    const needed = new Set(imported);
    for (const name of imported) {
      const manifest = byName.get(name)?.manifest;
      for (const peer of Object.keys(manifest?.peerDependencies ?? {})) {
        if (!manifest?.peerDependenciesMeta?.[peer]?.optional) needed.add(peer);
      }
    }
    const line = installed(readme);
    expect([...needed].filter((name) => !line.has(name)).sort()).toEqual([]);
  });
});
