import { mkdtempSync, rmSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProviderNotInstalledError } from '../src/index.js';
import { loadProvider } from '../src/load-provider.js';

describe('loadProvider', () => {
  let dir: string;
  const nodePath = process.env.NODE_PATH;
  // pnpm's bin shims put its hoisted store on NODE_PATH, where every package is found from anywhere.
  const initPaths = () => (Module as unknown as { _initPaths(): void })._initPaths();
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'omc-no-provider-'));
    delete process.env.NODE_PATH;
    initPaths();
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    if (nodePath !== undefined) process.env.NODE_PATH = nodePath;
    initPaths();
  });

  it('loads an installed provider package synchronously', () => {
    const openai = loadProvider<{ createOpenAI: unknown }>('openai', '@ai-sdk/openai');
    expect(typeof openai.createOpenAI).toBe('function');
  });

  it('says which package to install when it is missing', () => {
    // Resolved from a folder with no node_modules: what a user without the optional peer gets.
    const from = pathToFileURL(join(dir, 'index.js')).href;
    let error: unknown;
    try {
      loadProvider('ollama', '@ai-sdk/openai-compatible', from);
    } catch (e) {
      error = e;
    }
    expect(ProviderNotInstalledError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'OMC_PROVIDER_NOT_INSTALLED',
      packageName: '@ai-sdk/openai-compatible',
      provider: 'ollama',
    });
    expect((error as Error).message).toBe(
      'The ollama provider needs the package @ai-sdk/openai-compatible, which is not installed. Install it next to @omc/agents: pnpm add @ai-sdk/openai-compatible (or npm install @ai-sdk/openai-compatible).',
    );
  });
});
