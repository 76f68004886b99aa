import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpeedRunError } from '../../src/errors.js';
import {
  RACE_BRIEFS,
  planRaceRunners,
  planVariantRunners,
  spreadTemperatures,
} from '../../src/race/plan/runner-prompts.js';

const contract =
  'Implement `slugify(text: string): string` in src/slugify.ts with tests in test/slugify.test.ts.';

function rejects(run: () => unknown, field: string): void {
  assert.throws(run, (error: unknown) => error instanceof SpeedRunError && error.field === field);
}

test('spreadTemperatures spreads evenly from 0.2 to 0.8', () => {
  assert.deepEqual(spreadTemperatures(2), [0.2, 0.8]);
  assert.deepEqual(spreadTemperatures(3), [0.2, 0.5, 0.8]);
  assert.deepEqual(spreadTemperatures(5), [0.2, 0.35, 0.5, 0.65, 0.8]);
});

test('briefs (the default): a different emphasis and temperature per runner', () => {
  const plans = planRaceRunners({ contract, runners: 5 });
  assert.deepEqual(
    plans.map((plan) => [plan.runner, plan.variation.brief, plan.temperature]),
    [
      ['runner-1', 'simplest-correct', 0.2],
      ['runner-2', 'defensive', 0.35],
      ['runner-3', 'lean', 0.5],
      ['runner-4', 'readable', 0.65],
      ['runner-5', 'minimal-dependencies', 0.8],
    ],
  );
  plans.forEach((plan, index) => {
    assert.ok(plan.prompt.startsWith(contract));
    assert.ok(plan.prompt.includes(RACE_BRIEFS[index]?.text ?? '∅'));
    assert.equal(plan.variation.kind, 'briefs');
    assert.equal('model' in plan, false);
  });
  assert.equal(new Set(plans.map((plan) => plan.prompt)).size, 5);
  assert.equal(planRaceRunners({ contract }).length, 3);
});

test('temperature: the same prompt at spread temperatures, on one model if given', () => {
  const plans = planRaceRunners({ contract, runners: 3, variation: 'temperature', model: 'gpt-oss-120b' });
  assert.deepEqual(
    plans.map((plan) => [plan.prompt, plan.temperature, plan.model, plan.variation]),
    [0.2, 0.5, 0.8].map((temperature) => [contract, temperature, 'gpt-oss-120b', { kind: 'temperature' }]),
  );
});

test('models: one model per runner, the same prompt, counts must agree', () => {
  const models = ['gpt-oss-120b', 'qwen-3-coder-480b'];
  const plans = planRaceRunners({ contract, variation: 'models', models, temperature: 0.3 });
  assert.deepEqual(plans, [
    {
      runner: 'runner-1',
      prompt: contract,
      temperature: 0.3,
      model: models[0],
      variation: { kind: 'models' },
    },
    {
      runner: 'runner-2',
      prompt: contract,
      temperature: 0.3,
      model: models[1],
      variation: { kind: 'models' },
    },
  ]);
  assert.equal(planRaceRunners({ contract, variation: 'models', models, runners: 2 }).length, 2);
  rejects(() => planRaceRunners({ contract, variation: 'models', models, runners: 3 }), 'models');
  rejects(() => planRaceRunners({ contract, variation: 'models', models: ['a'] }), 'models');
  rejects(() => planRaceRunners({ contract, variation: 'models', models: ['a', 'a'] }), 'models');
  rejects(() => planRaceRunners({ contract, variation: 'models' }), 'models');
});

test('any-percent: the contract plus the approach, slug and description verbatim', () => {
  const approaches = [
    { slug: 'regex', description: 'One regular expression pass.' },
    { slug: 'char-loop', description: 'A single loop over code points, no regex.' },
  ];
  const plans = planVariantRunners({ contract, approaches, model: 'm' });
  assert.deepEqual(
    plans.map((plan) => [plan.runner, plan.model, plan.variation]),
    [
      ['variant-regex', 'm', { kind: 'approach', approach: approaches[0] }],
      ['variant-char-loop', 'm', { kind: 'approach', approach: approaches[1] }],
    ],
  );
  assert.ok(plans[1]?.prompt.startsWith(contract));
  assert.ok(plans[1]?.prompt.includes('char-loop'));
  assert.ok(plans[1]?.prompt.includes('A single loop over code points, no regex.'));
  assert.equal(plans[0]?.prompt.includes('char-loop'), false);
});

test('invalid input names its field', () => {
  rejects(() => planRaceRunners({ contract: ' ' }), 'contract');
  rejects(() => planRaceRunners({ contract, runners: 6 }), 'runners');
  rejects(() => planRaceRunners({ contract, variation: 'vibes' as 'briefs' }), 'variation');
  rejects(
    () => planRaceRunners({ contract, temperature: 3, variation: 'models', models: ['a', 'b'] }),
    'temperature',
  );
  rejects(() => planVariantRunners({ contract, approaches: [] }), 'approaches');
});
