// The live lines on a terminal (isTTY injected): turbo's one line and the race board's line per runner, each with
// phase, tokens so far and elapsed time; off a terminal, plain lines only.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, test } from 'node:test';
import { liveDisplay } from '../../src/cli/commands/race-presenter.js';
import { createLiveLine, type LineStream } from '../../src/cli/live-line.js';
import type { GenerationProgress } from '../../src/codegen/generation-progress.js';
import { planRaceRunners } from '../../src/race/plan/runner-prompts.js';
import { runPlanned } from '../../src/race/start-run.js';
import type { Simulator } from '../support/openai-simulator.js';
import { removeDir, tempRepo } from '../race/git-fixture.js';
import { CONTRACT, defaultResponder, raceConfig, raceContext, raceSimulator } from '../race/race-fixture.js';

const ESC = '\x1b';
const dirs: string[] = [];
const simulators: Simulator[] = [];
after(async () => {
  await Promise.all(simulators.map((s) => s.close()));
  await Promise.all(dirs.map(removeDir));
});

function terminal(isTTY = true): LineStream & { text: () => string; lastFrame: () => string[] } {
  const writes: string[] = [];
  return {
    isTTY,
    columns: 120,
    write: (chunk: string) => writes.push(chunk),
    text: () => writes.join(''),
    // The board's last redraw: the lines after the final cursor-up.
    lastFrame: () =>
      writes
        .join('')
        .split(new RegExp(`${ESC}\\[\\d+A`))
        .at(-1)!
        .split('\n')
        .filter(Boolean)
        .map((line) => line.replace(`${ESC}[2K`, '')),
  };
}

test('race board on a terminal: per runner status, phase and tokens while generating, elapsed seconds', async () => {
  const tty = terminal();
  let clock = 1_000;
  const board = liveDisplay(false, tty, () => clock);
  board.onProgress({ runner: 'runner-1', status: 'generating', message: 'gpt-oss-120b' });
  board.onProgress({ runner: 'runner-2', status: 'generating', message: 'gpt-oss-120b' });
  assert.deepEqual(tty.lastFrame(), [
    '… runner-1  generating  gpt-oss-120b  0.0 s',
    '… runner-2  generating  gpt-oss-120b  0.0 s',
  ]);
  clock += 2_500;
  board.onGenerationProgress?.('runner-1', { phase: 'writing', tokens: 1234 });
  board.onGenerationProgress?.('runner-2', { phase: 'reasoning', tokens: 40 });
  await sleep(400); // the redraw timer, not a redraw per token
  assert.deepEqual(tty.lastFrame(), [
    '… runner-1  generating  writing · 1,234 tokens  2.5 s',
    '… runner-2  generating  reasoning · 40 tokens  2.5 s',
  ]);
  board.onProgress({ runner: 'runner-1', status: 'passed', message: '3/3 passed' });
  clock += 10_000;
  board.done();
  assert.deepEqual(tty.lastFrame(), [
    '✔ runner-1  passed  3/3 passed  2.5 s',
    '… runner-2  generating  reasoning · 40 tokens  12.5 s',
  ]);
});

test('off a terminal: one plain line per status event, no tokens, no escape codes', () => {
  const pipe = terminal(false);
  const board = liveDisplay(false, pipe);
  board.onProgress({ runner: 'runner-1', status: 'generating', message: 'gpt-oss-120b' });
  board.onGenerationProgress?.('runner-1', { phase: 'writing', tokens: 5 });
  board.onProgress({ runner: 'runner-1', status: 'failed', message: '0/3 passed' });
  board.done();
  assert.equal(pipe.text(), 'runner-1: generating gpt-oss-120b\nrunner-1: failed 0/3 passed\n');
});

test('turbo on a terminal: one line redrawn with phase, tokens and elapsed; print keeps lines above it', () => {
  const tty = terminal();
  let clock = 0;
  const line = createLiveLine(tty, () => clock);
  clock = 1_200;
  line.update({ phase: 'reasoning', tokens: 3 });
  line.print('  wrote a.ts (3 lines)', tty);
  line.stop();
  assert.ok(tty.text().includes(`\r${ESC}[2K… waiting for the first token · 0.0 s`), tty.text());
  assert.ok(tty.text().includes(`\r${ESC}[2K… reasoning · 3 tokens · 1.2 s`), tty.text());
  assert.ok(tty.text().includes(`\r${ESC}[2K  wrote a.ts (3 lines)\n`), 'printed above the live line');
  assert.ok(tty.text().endsWith(`\r${ESC}[2K`), 'stop clears the line');
});

test('a race reports each runner’s streamed tokens to onGenerationProgress', async () => {
  const root = await tempRepo({ 'README.md': '# fixture\n', 'package.json': '{ "type": "module" }\n' });
  dirs.push(root);
  const sim = await raceSimulator(defaultResponder);
  simulators.push(sim);
  const seen = new Map<string, GenerationProgress>();
  await runPlanned(
    {
      mode: 'race',
      feature: 'sum',
      contract: CONTRACT,
      plans: planRaceRunners({ contract: CONTRACT, runners: 2 }),
      repoDir: root,
    },
    raceContext(raceConfig(sim, root), { onGenerationProgress: (runner, p) => void seen.set(runner, p) }),
  );
  assert.deepEqual([...seen.keys()].sort(), ['runner-1', 'runner-2']);
  for (const progress of seen.values()) {
    assert.equal(progress.phase, 'writing');
    assert.ok(progress.tokens > 10, `tokens counted: ${progress.tokens}`);
  }
});
