import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countNamedFiles, MIN_FILE_BUDGET, sizeFileBudget } from '../../src/codegen/token-budgets.js';
import { acceptsReasoningEffort, reasoningEffortFor } from '../../src/provider/reasoning-effort.js';

test('counts the distinct file paths a contract names, not versions, URLs or abbreviations', () => {
  assert.equal(countNamedFiles('Write `src/a.ts`, src/a.ts and "test/a.test.ts"; update README.md.'), 3);
  assert.equal(countNamedFiles('Use node 20.9, e.g. like https://example.com, i.e. simple.'), 0);
  assert.equal(countNamedFiles('(src/lib/util.mjs) and package.json'), 2);
});

test('the budget grows with named files, context and reasoning, within the floor and the caps', () => {
  const three = sizeFileBudget({ contract: 'src/a.ts src/b.ts src/c.ts', reasoningEffort: 'low' });
  assert.equal(three.maxTokens, 7168); // (4500 + 1024) x 1.25 -> 6905 -> 7168
  assert.match(three.rule, /3 files x 1500 \+ reasoning 1024, \+25%/);
  assert.equal(sizeFileBudget({ contract: 'a.ts', reasoningEffort: 'off' }).maxTokens, MIN_FILE_BUDGET);
  const unnamed = sizeFileBudget({ contract: 'build it' });
  assert.match(unnamed.rule, /4 files \(none named\)/);
  assert.ok(
    sizeFileBudget({ contract: 'a.ts', contextBytes: 70_000 }).maxTokens > 20_000,
    'edits rewrite context',
  );
  assert.ok(
    sizeFileBudget({ contract: 'a.ts', reasoningEffort: 'high' }).maxTokens >
      sizeFileBudget({ contract: 'a.ts', reasoningEffort: 'low' }).maxTokens,
  );
  const many = 'x'.repeat(1) + Array.from({ length: 40 }, (_, i) => ` src/m${i}.ts`).join('');
  assert.equal(sizeFileBudget({ contract: many }).maxTokens, 32_768, 'the model limit caps it');
  assert.equal(
    sizeFileBudget({ contract: many, quotaTokens: 30_000, promptTokens: 2_000 }).maxTokens,
    28_000,
    'a reservation the quota can never hold is capped to what it can',
  );
});

test('reasoning_effort: low by default for models that take it, none for the rest, explicit as set', () => {
  assert.equal(acceptsReasoningEffort('gpt-oss-120b'), true);
  assert.equal(acceptsReasoningEffort('openai/gpt-oss-20b'), true);
  assert.equal(acceptsReasoningEffort('llama-3.3-70b'), false);
  assert.equal(reasoningEffortFor(undefined, 'gpt-oss-120b'), 'low');
  assert.equal(reasoningEffortFor(undefined, 'qwen-3-32b'), undefined);
  assert.equal(reasoningEffortFor('high', 'qwen-3-32b'), 'high');
  assert.equal(reasoningEffortFor('off', 'gpt-oss-120b'), undefined);
});
