// race with repair_rounds through the MCP protocol (SDK client, in-memory transport): the argument reaches the
// engine, the lean scoreboard says how many repair rounds a runner took, progress names the round, and the
// ledger gets a race line per generation and repair round.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { openLedger } from '../../src/ledger/ledger-file.js';
import type { LeanJudge, LeanScoreboard } from '../../src/mcp/tools/race-results.js';
import { connectInProcess, type InProcessMcp } from '../support/in-process-mcp.js';
import type { Simulator } from '../support/openai-simulator.js';
import { removeDir, tempRepo } from '../race/git-fixture.js';
import { CONTRACT, TEST_COMMAND, defaultResponder, raceConfig, raceSimulator } from '../race/race-fixture.js';

const FIX =
  '<EDIT path="src/sum.mjs">\n<<<<<<< SEARCH\n  return a - b;\n=======\n  return a + b;\n>>>>>>> REPLACE\n</EDIT>\n';

let root: string;
let sim: Simulator;
let mcp: InProcessMcp;
const ledger = () => openLedger(path.join(`${root}-ledger.jsonl`));

before(async () => {
  root = await tempRepo({ 'README.md': '# fixture\n', 'package.json': '{ "type": "module" }\n' });
  sim = await raceSimulator((prompt, request) =>
    prompt.includes('## Failing tests') ? { content: FIX } : defaultResponder(prompt, request),
  );
  mcp = await connectInProcess(raceConfig(sim, root), { ledger: ledger() });
});
after(async () => {
  await mcp.close();
  await sim.close();
  await removeDir(root);
  await rm(`${root}-ledger.jsonl`, { force: true });
});

test('race {repair_rounds: 1}: the failing runner is repaired; the board, progress and ledger say so', async () => {
  const progress: string[] = [];
  const result = await mcp.client.callTool(
    {
      name: 'race',
      arguments: {
        feature: 'sum',
        contract: CONTRACT,
        runners: 2,
        test_command: TEST_COMMAND,
        repair_rounds: 1,
      },
    },
    { onprogress: (p) => progress.push(String(p.message)) },
  );
  assert.notEqual(result.isError, true, JSON.stringify(result.content));
  const board = result.structuredContent as unknown as LeanScoreboard;
  assert.deepEqual(
    board.runners.map((r) => [r.runner, r.status, r.tests, r.repairs]),
    [
      ['runner-1', 'passed', '3/3', undefined],
      ['runner-2', 'passed', '3/3', 1],
    ],
  );
  assert.ok(progress.includes('runner-2: repairing repair round 1'), progress.join('\n'));
  // The judge's evidence names the repair too, so scoring can weigh a runner that needed the model's fix.
  const judged = await mcp.client.callTool({
    name: 'race_step',
    arguments: { step: 'judge', feature: 'sum' },
  });
  const judge = judged.structuredContent as unknown as LeanJudge;
  assert.deepEqual(
    judge.runners.map((r) => [r.runner, r.repairs]),
    [
      ['runner-1', undefined],
      ['runner-2', 1],
    ],
  );

  const lines = await ledger().read();
  assert.deepEqual(
    lines.map((line) => [line.route, line.files]),
    [
      ['race', 2],
      ['race', 2],
      ['race', 1],
    ],
  );
});

test('race {repair_rounds} without test_command is a tool error naming the argument; nothing is made', async () => {
  const before = sim.requests.length;
  const result = await mcp.client.callTool({
    name: 'race',
    arguments: { feature: 'other', contract: CONTRACT, runners: 2, repair_rounds: 1 },
  });
  assert.equal(result.isError, true);
  assert.match((result.content as { text: string }[])[0]!.text, /repair_rounds needs test_command/);
  assert.equal(sim.requests.length, before);
});
