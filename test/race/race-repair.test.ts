// Race runners with repair_rounds: a runner whose tests fail gets the turbo repair loop in its own workspace, its
// edits committed on its branch, every test run recorded.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
import { agentTokensAvoided } from '../../src/codegen/receipt.js';
import { openLedger } from '../../src/ledger/ledger-file.js';
import { finishRun } from '../../src/race/finish-run.js';
import { planRaceRunners } from '../../src/race/plan/runner-prompts.js';
import { runPlanned } from '../../src/race/start-run.js';
import type { RunManifest } from '../../src/race/record/manifest-schema.js';
import type { Simulator } from '../support/openai-simulator.js';
import { branches, removeDir, sh, tempRepo } from './git-fixture.js';
import {
  CONTRACT,
  TEST_COMMAND,
  defaultResponder,
  promptOf,
  raceConfig,
  raceContext,
  raceSimulator,
} from './race-fixture.js';

const dirs: string[] = [];
const simulators: Simulator[] = [];
after(async () => {
  await Promise.all(simulators.map((s) => s.close()));
  await Promise.all(dirs.map(removeDir));
});

const FIX =
  '<EDIT path="src/sum.mjs">\n<<<<<<< SEARCH\n  return a - b;\n=======\n  return a + b;\n>>>>>>> REPLACE\n</EDIT>\n';

async function setup(): Promise<{ root: string; sim: Simulator }> {
  const root = await tempRepo({ 'README.md': '# fixture\n', 'package.json': '{ "type": "module" }\n' });
  dirs.push(root);
  // The repair prompt repeats the runner's contract (with its brief), so it is recognised first.
  const sim = await raceSimulator((prompt, request) =>
    prompt.includes('## Failing tests') ? { content: FIX } : defaultResponder(prompt, request),
  );
  simulators.push(sim);
  return { root, sim };
}

test('repair_rounds: the failing runner is repaired by the model, committed on its branch and passes', async () => {
  const { root, sim } = await setup();
  const ledger = openLedger(path.join(root, '..', `${path.basename(root)}-ledger.jsonl`));
  dirs.push(ledger.path);
  const board = await runPlanned(
    {
      mode: 'race',
      feature: 'sum',
      contract: CONTRACT,
      plans: planRaceRunners({ contract: CONTRACT, runners: 2 }),
      testCommand: TEST_COMMAND,
      repairRounds: 1,
      repoDir: root,
    },
    raceContext(raceConfig(sim, root), { ledger }),
  );
  const [one, two] = board.runners;
  assert.deepEqual(
    [one!.status, one!.repair_rounds, two!.status, two!.repair_rounds],
    ['passed', 0, 'passed', 1],
  );
  assert.equal(two!.tests?.failed, 0);

  // The repair request carried the failing output and the runner's current file.
  const repairs = sim.requests.map(promptOf).filter((p) => p.includes('## Failing tests'));
  assert.equal(repairs.length, 1, 'one repair request, for runner-2 only');
  assert.match(repairs[0]!, /BEGIN CONTEXT FILE: src\/sum\.mjs \(editable\)[\s\S]*return a - b;/);
  assert.match(repairs[0]!, /BEGIN TEST OUTPUT[\s\S]*fail[\s\S]*END TEST OUTPUT/);

  const workspace = path.join(root, '.worktrees', 'sum', 'runner-2');
  assert.match(await readFile(path.join(workspace, 'src', 'sum.mjs'), 'utf8'), /return a \+ b;/);
  assert.match(sh(root, 'log', '-1', '--format=%s', 'sum/speed-run/runner-2'), /runner-2 repair round 1$/);
  const record = JSON.parse(
    await readFile(path.join(root, 'docs/plans/sum/speed-run/race/manifest.json'), 'utf8'),
  ) as RunManifest;
  const runner = record.runners[1]!;
  assert.equal(
    runner.commit,
    sh(root, 'rev-parse', 'sum/speed-run/runner-2').trim(),
    'the record holds the tip',
  );
  assert.equal(runner.repairs?.length, 1);
  assert.deepEqual(
    { ...runner.repairs![0]!, durationMs: 0, tokens: runner.repairs![0]!.tokens !== null },
    { round: 1, editedFiles: ['src/sum.mjs'], tokens: true, durationMs: 0, passed: 3, failed: 0 },
  );
  assert.equal(
    existsSync(path.join(root, 'docs/plans/sum/speed-run/race/logs/runner-2-test-repair-1.log')),
    true,
  );

  // The ledger: one line per runner generation (half the one-implementation estimate each, as 1 of 2 is kept) and
  // one for the repair round (the file it edited, no avoided tokens claimed).
  const lines = await ledger.read();
  assert.deepEqual(
    lines.map((line) => [line.route, line.ok, line.files, line.generated_tokens !== null]),
    [
      ['race', true, 2, true],
      ['race', true, 2, true],
      ['race', true, 1, true],
    ],
  );
  // Each runner's files are the same length on disk as generated (the repair swapped one operator).
  const estimate = async (runner: string) => {
    const size = async (file: string) =>
      (await readFile(path.join(root, '.worktrees/sum', runner, file))).length;
    const bytes = (await size('src/sum.mjs')) + (await size('test/sum.test.mjs'));
    return Math.round(agentTokensAvoided(bytes, CONTRACT.length) / 2);
  };
  assert.deepEqual(
    lines
      .slice(0, 2)
      .map((line) => line.agent_tokens_avoided)
      .sort(),
    [await estimate('runner-1'), await estimate('runner-2')].sort(),
  );
  assert.equal(lines[2]!.agent_tokens_avoided, 0);

  // The repaired branch is speed-run's own work: finishing with runner-1 removes it instead of keeping it.
  const finished = await finishRun(
    { repoDir: root, feature: 'sum', winner: '1' },
    raceContext(raceConfig(sim, root)),
  );
  assert.deepEqual(finished.kept, { workspace: null, branch: null, why: [] });
  assert.deepEqual(branches(root), ['main']);
});

test('repair_rounds without a test command is refused before anything is made', async () => {
  const { root, sim } = await setup();
  await assert.rejects(
    runPlanned(
      {
        mode: 'race',
        feature: 'sum',
        contract: CONTRACT,
        plans: planRaceRunners({ contract: CONTRACT, runners: 2 }),
        repairRounds: 2,
        repoDir: root,
      },
      raceContext(raceConfig(sim, root)),
    ),
    /repair_rounds needs test_command/,
  );
  assert.deepEqual(branches(root), ['main']);
  assert.equal(sim.requests.length, 0);
});
