import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidInputError } from '@omc/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createModel, describeModel, ExecutorAgent, resolveModel } from '../src/index.js';
import {
  BUILT_IN_PRICES_SOURCE,
  choosePrice,
  findPrice,
  parsePrices,
  pricesFromEnv,
  readPrices,
} from '../src/pricing.js';

const mine = { inputPer1M: 3, outputPer1M: 9 };

describe('price tables', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'omc-prices-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds `provider:model` before a bare model id, dated snapshots by their base', () => {
    const prices = { 'openai-compatible:qwen': mine, qwen: { inputPer1M: 1, outputPer1M: 1 } };
    expect(findPrice(prices, 'openai-compatible', 'qwen')).toEqual(mine);
    expect(findPrice(prices, 'ollama', 'qwen')).toEqual({ inputPer1M: 1, outputPer1M: 1 });
    expect(findPrice({ 'openai:gpt-4.1': mine }, 'openai', 'gpt-4.1-2025-04-14')).toEqual(mine);
    expect(findPrice(prices, 'openai', 'toString')).toBeUndefined(); // only the table's own keys
    expect(findPrice(undefined, 'openai', 'gpt-4.1')).toBeUndefined();
  });

  it('reads OMC_PRICES as a file path or as inline JSON; unset is undefined', () => {
    const file = join(dir, 'prices.json');
    writeFileSync(file, JSON.stringify({ 'openai:gpt-4.1-mini': mine }));
    expect(pricesFromEnv({ OMC_PRICES: file })).toEqual({ 'openai:gpt-4.1-mini': mine });
    expect(pricesFromEnv({ OMC_PRICES: ' {"m": {"inputPer1M": 0, "outputPer1M": 0.5}} ' })).toEqual({
      m: { inputPer1M: 0, outputPer1M: 0.5 },
    });
    expect(pricesFromEnv({})).toBeUndefined();
    expect(pricesFromEnv({ OMC_PRICES: '' })).toBeUndefined();
  });

  it('refuses a bad table with InvalidInputError naming the source and the entry', () => {
    const refused = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        expect(InvalidInputError.isInstance(error)).toBe(true);
        expect(error).toMatchObject({ field: 'prices' });
        return (error as Error).message;
      }
      throw new Error('not refused');
    };
    expect(refused(() => parsePrices([], 'x'))).toMatch(/^Prices from x must be a JSON object .*got an array/);
    expect(refused(() => parsePrices({ m: { inputPer1M: -1, outputPer1M: 1 } }, 'x'))).toMatch(
      /entry "m" needs inputPer1M and outputPer1M, numbers ≥ 0/,
    );
    expect(refused(() => parsePrices({ m: 2 }, 'x'))).toMatch(/entry "m"/);
    const missing = join(dir, 'nope.json');
    expect(refused(() => readPrices(missing))).toContain(`Prices from ${missing} cannot be read (ENOENT`);
    writeFileSync(join(dir, 'bad.json'), '{ not json');
    expect(refused(() => readPrices(join(dir, 'bad.json')))).toMatch(/is not valid JSON/);
    expect(refused(() => pricesFromEnv({ OMC_PRICES: '{"m": 1}' }))).toMatch(/^Prices from OMC_PRICES /);
  });
});

describe('choosing a price', () => {
  it('takes the given price, then the table, then the built-in list for openai', () => {
    expect(
      choosePrice('openai', 'gpt-4.1-mini', {
        price: mine,
        prices: { 'gpt-4.1-mini': { inputPer1M: 1, outputPer1M: 1 } },
      }),
    ).toEqual({
      price: mine,
      priceSource: 'given',
      costNote: undefined,
    });
    expect(choosePrice('openai', 'gpt-4.1-mini', { prices: { 'openai:gpt-4.1-mini': mine } })).toMatchObject({
      price: mine,
      priceSource: 'given',
    });
    expect(choosePrice('openai', 'gpt-4.1-mini', {})).toEqual({
      price: { inputPer1M: 0.4, outputPer1M: 1.6 },
      priceSource: 'built-in',
      costNote: undefined,
    });
  });

  it('costs nothing on this machine, and is unknown (with a note saying how to give one) elsewhere', () => {
    expect(choosePrice('ollama', 'llama3.2', {})).toMatchObject({ priceSource: 'local', price: { inputPer1M: 0 } });
    expect(choosePrice('scripted', 'scripted (offline)', {}).priceSource).toBe('local');
    expect(choosePrice('openai-compatible', 'foo', {})).toEqual({
      price: undefined,
      priceSource: undefined,
      costNote: 'no price known for openai-compatible:foo; cost not computed (pass price or prices, or set OMC_PRICES)',
    });
    expect(choosePrice('openai', 'my-finetune', {}).price).toBeUndefined();
  });

  it('says where the built-in prices come from and that they are from 2025', () => {
    expect(BUILT_IN_PRICES_SOURCE).toMatch(/OpenAI.*2025/);
  });
});

describe('models priced from your table', () => {
  const table = JSON.stringify({ 'openai-compatible:foo': mine });
  const compatible = { OMC_BASE_URL: 'http://127.0.0.1:9/v1', OMC_MODEL: 'foo' };

  it('resolveModel takes `prices`, else OMC_PRICES, and says where the price came from', () => {
    expect(resolveModel({ prices: { 'openai-compatible:foo': mine } }, compatible)).toMatchObject({
      price: mine,
      priceSource: 'given',
      costNote: undefined,
    });
    expect(resolveModel({}, { ...compatible, OMC_PRICES: table })).toMatchObject({ price: mine, priceSource: 'given' });
    expect(resolveModel({}, compatible)).toMatchObject({ price: undefined, priceSource: undefined });
    expect(resolveModel({}, { OPENAI_API_KEY: 'sk' })).toMatchObject({
      label: 'openai:gpt-4.1-mini',
      priceSource: 'built-in',
    });
    expect(resolveModel({}, {}).priceSource).toBe('local');
  });

  it('a bad OMC_PRICES is refused when the model is resolved', () => {
    expect(() => resolveModel({}, { ...compatible, OMC_PRICES: '{"foo": {}}' })).toThrow(/^Prices from OMC_PRICES /);
  });

  it('createModel and describeModel take a table too; a role agent given a bare model reads OMC_PRICES', () => {
    const openai = createModel({ provider: 'openai', apiKey: 'sk', prices: { 'gpt-4.1-mini': mine } });
    expect(openai).toMatchObject({ price: mine, priceSource: 'given' });
    // A model of another provider, as its AI SDK package would build it (never called here).
    const custom = {
      specificationVersion: 'v2',
      provider: 'anthropic.messages',
      modelId: 'claude-x',
      supportedUrls: {},
      doGenerate: () => Promise.reject(new Error('not called')),
      doStream: () => Promise.reject(new Error('not called')),
    };
    expect(describeModel(custom as never, undefined, { 'anthropic:claude-x': mine })).toMatchObject({
      price: mine,
      priceSource: 'given',
    });
    const agent = new ExecutorAgent({
      model: custom as never,
      env: { OMC_PRICES: '{"claude-x": {"inputPer1M": 3, "outputPer1M": 9}}' },
    });
    expect(agent.model).toMatchObject({ label: 'anthropic:claude-x', price: mine, priceSource: 'given' });
  });
});
