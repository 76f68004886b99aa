import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
import { loadManifest } from '../../src/race/record/manifest-store.js';
import { runPlanned } from '../../src/race/start-run.js';
import type { RunProgress } from '../../src/race/race-types.js';
import { planRaceRunners, planVariantRunners } from '../../src/race/plan/runner-prompts.js';
import { leanScoreboard } from '../../src/mcp/tools/race-results.js';
import type { Simulator } from '../support/openai-simulator.js';
import { branches, removeDir, sh, tempDir, tempRepo, worktreePaths } from './git-fixture.js';
import { CONTRACT, TEST_COMMAND, raceConfig, raceContext, raceSimulator, sumReply } from './race-fixture.js';

const dirs: string[] = [];
const simulators: Simulator[] = [];
after(async () => {
  await Promise.all(simulators.map((s) => s.close()));
  await Promise.all(dirs.map(removeDir));
});
async function repo(): Promise<string> {
  const dir = await tempRepo({ 'README.md': '# fixture\n', 'package.json': '{ "type": "module" }\n' });
  dirs.push(dir);
  return dir;
}
async function simulator(...args: Parameters<typeof raceSimulator>): Promise<Simulator> {
  const sim = await raceSimulator(...args);
  simulators.push(sim);
  return sim;
}

test('a 3-runner race: worktrees, branches, commits, tests run, one runner failing, the record kept', async () => {
  const root = await repo();
  const sim = await simulator();
  const progress: RunProgress[] = [];
  const board = await runPlanned(
    {
      mode: 'race',
      feature: 'sum',
      contract: CONTRACT,
      plans: planRaceRunners({ contract: CONTRACT, runners: 3 }),
      variation: 'briefs',
      testCommand: TEST_COMMAND,
      timeoutS: 60,
      repoDir: root,
    },
    raceContext(raceConfig(sim, root), { onProgress: (p) => progress.push(p) }),
  );

  assert.equal(board.status, 'ready');
  assert.equal(board.manifest, 'docs/plans/sum/speed-run/race/manifest.json');
  assert.deepEqual(
    board.runners.map((r) => [r.runner, r.status, r.files, r.tests?.passed, r.tests?.total]),
    [
      ['runner-1', 'passed', 2, 3, 3],
      ['runner-2', 'failed', 2, 0, 3],
      ['runner-3', 'passed', 2, 3, 3],
    ],
  );
  assert.equal(board.runners[1]!.failure?.stage, 'tests');
  assert.match(board.runners[1]!.variation, /brief: defensive/);
  assert.equal(board.warnings.length, 0, board.warnings.join('; '));
  assert.match(await readFile(path.join(root, '.git/info/exclude'), 'utf8'), /^\/\.worktrees\/$/m);
  assert.ok(board.generation_wall_ms !== null && board.generation_wall_ms > 0);
  assert.equal(JSON.stringify(board).includes('return a + b'), false, 'no code in the scoreboard');

  // Git: a worktree and a branch per runner, each with one speed-run commit holding the generated files.
  assert.deepEqual(branches(root), [
    'main',
    'sum/speed-run/runner-1',
    'sum/speed-run/runner-2',
    'sum/speed-run/runner-3',
  ]);
  assert.equal(worktreePaths(root).length, 4);
  for (const id of ['runner-1', 'runner-2', 'runner-3']) {
    const branch = `sum/speed-run/${id}`;
    assert.equal(sh(root, 'log', '-1', '--format=%an <%ae>', branch), 'speed-run <speed-run@localhost>');
    assert.match(sh(root, 'log', '-1', '--format=%B', branch), new RegExp(`speed-run race sum: ${id}`));
    assert.deepEqual(sh(root, 'show', '--name-only', '--format=', branch).split('\n').sort(), [
      'src/sum.mjs',
      'test/sum.test.mjs',
    ]);
  }
  // The main work tree gains only the (untracked) run record; .worktrees/ is ignored in .git/info/exclude.
  assert.deepEqual(sh(root, 'status', '--porcelain').split('\n'), ['?? docs/']);

  // The record: prompts, tests with log files, events.
  const manifest = await loadManifest(root, 'sum', 'race');
  assert.ok(manifest);
  assert.equal(manifest.runners.length, 3);
  const second = manifest.runners[1]!;
  assert.match(await readFile(path.join(root, second.promptFile), 'utf8'), /Be defensive and robust/);
  assert.ok(second.tests?.logFile && existsSync(path.join(root, second.tests.logFile)));
  assert.match(second.tests!.tail, /fail/);
  assert.ok(manifest.events.some((e) => e.type === 'tests-failed' && e.runner === 'runner-2'));
  assert.ok(manifest.events.every((e) => !Number.isNaN(Date.parse(e.at))));
  assert.deepEqual(
    [...new Set(progress.filter((p) => p.runner === 'runner-1').map((p) => p.status))],
    ['generating', 'generated', 'testing', 'passed'],
  );
});

test('any-percent with 2 approaches outside git: plain directories, output_subdir, no branches', async () => {
  const root = await tempDir();
  dirs.push(root);
  const sim = await simulator();
  const plans = planVariantRunners({
    contract: CONTRACT,
    approaches: [
      { slug: 'loop', description: 'Add with a loop.' },
      { slug: 'builtin', description: 'Use the + operator.' },
    ],
  });
  const board = await runPlanned(
    { mode: 'any-percent', feature: 'sum', contract: CONTRACT, plans, outputSubdir: 'pkg', repoDir: root },
    raceContext(raceConfig(sim, root)),
  );
  assert.equal(board.git, false);
  assert.deepEqual(
    board.runners.map((r) => [r.runner, r.status, r.branch, r.workspace, r.tests]),
    [
      ['variant-loop', 'generated', null, '.worktrees/sum/variant-loop', null],
      ['variant-builtin', 'generated', null, '.worktrees/sum/variant-builtin', null],
    ],
  );
  assert.ok(existsSync(path.join(root, '.worktrees/sum/variant-loop/pkg/src/sum.mjs')));
  assert.match(
    await readFile(path.join(root, '.worktrees/sum/variant-builtin/pkg/src/sum.mjs'), 'utf8'),
    /builtin/,
  );
  const manifest = await loadManifest(root, 'sum', 'any-percent');
  assert.deepEqual(
    manifest?.runners.map((r) => r.approach?.slug),
    ['loop', 'builtin'],
  );
  assert.equal(existsSync(path.join(root, '.gitignore')), false);
});

test('a provider that reports no usage: the record says null tokens, never 0, and so do the presenters', async () => {
  const root = await tempDir();
  dirs.push(root);
  const sim = await simulator((prompt) => {
    const slug = /## Approach for this implementation: ([a-z0-9-]+)/.exec(prompt)?.[1];
    return {
      content: sumReply({ comment: slug ?? 'plain' }),
      usage: slug === 'silent' ? 'none' : 'standard',
    };
  });
  const plans = planVariantRunners({
    contract: CONTRACT,
    approaches: [
      { slug: 'silent', description: 'Add, from a provider that sends no usage.' },
      { slug: 'counted', description: 'Add, from a provider that counts.' },
    ],
  });
  const board = await runPlanned(
    { mode: 'any-percent', feature: 'sum', contract: CONTRACT, plans, repoDir: root },
    raceContext(raceConfig(sim, root)),
  );
  const manifest = await loadManifest(root, 'sum', 'any-percent');
  const silent = manifest?.runners.find((r) => r.id === 'variant-silent')?.generation;
  const counted = manifest?.runners.find((r) => r.id === 'variant-counted')?.generation;
  assert.equal(silent?.files.length, 2, 'the silent provider’s files were written');
  assert.equal(silent?.tokens, null, 'unknown usage is recorded as null');
  assert.ok((counted?.tokens?.total ?? 0) > 0, 'reported usage is recorded');
  assert.deepEqual(
    board.runners.map((r) => [r.runner, r.tokens === null]),
    [
      ['variant-silent', true],
      ['variant-counted', false],
    ],
  );
  const lean = leanScoreboard(board).runners;
  assert.equal('tokens' in lean[0]!, false, 'the tool result leaves unknown tokens out rather than saying 0');
  assert.equal(lean[1]!.tokens, counted?.tokens?.total);
  const event = manifest?.events.find((e) => e.type === 'generation-done' && e.runner === 'variant-silent');
  assert.match(event?.message ?? '', /unknown tokens/);
});

test('a runner whose generation fails is marked failed and the others go on', async () => {
  const root = await repo();
  const sim = await simulator((prompt) =>
    prompt.includes('Be defensive and robust')
      ? { status: 400, errorBody: { error: { message: 'bad request', type: 'invalid_request_error' } } }
      : { content: sumReply() },
  );
  const board = await runPlanned(
    {
      mode: 'race',
      feature: 'sum',
      contract: CONTRACT,
      plans: planRaceRunners({ contract: CONTRACT, runners: 2 }),
      testCommand: TEST_COMMAND,
      repoDir: root,
    },
    raceContext(raceConfig(sim, root)),
  );
  assert.deepEqual(
    board.runners.map((r) => [r.runner, r.status, r.failure?.stage ?? null]),
    [
      ['runner-1', 'passed', null],
      ['runner-2', 'failed', 'generation'],
    ],
  );
  assert.match(board.runners[1]!.failure!.message, /provider|invalid/);
  assert.equal(board.runners[1]!.tests, null);
});

test('a test command that cannot start is reported per runner', async () => {
  const root = await repo();
  const sim = await simulator();
  const board = await runPlanned(
    {
      mode: 'race',
      feature: 'sum',
      contract: CONTRACT,
      plans: planRaceRunners({ contract: CONTRACT, runners: 2, variation: 'temperature' }),
      testCommand: 'speed-run-no-such-test-runner',
      repoDir: root,
    },
    raceContext(raceConfig(sim, root)),
  );
  for (const runner of board.runners) {
    assert.equal(runner.status, 'failed');
    assert.equal(runner.tests?.could_not_start, true);
    assert.match(runner.failure!.message, /could not start/);
  }
});

test('a 429 storm during a race: every runner still finishes, bounded by the provider limiter', async () => {
  const root = await repo();
  const sim = await simulator();
  const storm = { status: 429, headers: { 'retry-after-ms': '20' } };
  sim.enqueue(storm, storm, storm, storm, storm, storm);
  const board = await runPlanned(
    {
      mode: 'race',
      feature: 'sum',
      contract: CONTRACT,
      plans: planRaceRunners({ contract: CONTRACT, runners: 3 }),
      repoDir: root,
    },
    raceContext(raceConfig(sim, root)),
  );
  assert.deepEqual(
    board.runners.map((r) => r.status),
    ['generated', 'generated', 'generated'],
  );
  const chats = sim.requests.filter((r) => r.path.endsWith('/chat/completions'));
  assert.equal(chats.length, 9);
});

test('refusals: bad feature, runner counts, a second run without replace; replace removes only the recorded run', async () => {
  const root = await repo();
  const sim = await simulator();
  const config = raceConfig(sim, root);
  const base = { mode: 'race' as const, contract: CONTRACT, repoDir: root };
  const plans = planRaceRunners({ contract: CONTRACT, runners: 2 });

  await assert.rejects(
    runPlanned({ ...base, feature: 'Bad Name', plans }, raceContext(config)),
    /not a valid slug/,
  );
  await assert.rejects(
    runPlanned({ ...base, feature: 'sum', plans: plans.slice(0, 1) }, raceContext(config)),
    /2 to 5 runners/,
  );
  assert.throws(() => planRaceRunners({ contract: CONTRACT, runners: 6 }), /2 to 5/);

  // Unrelated things in the way of nothing: a user branch and worktree, a plain directory in .worktrees/.
  sh(root, 'branch', 'user/keep');
  sh(root, 'worktree', 'add', '--quiet', path.join(root, '.worktrees', 'mine'), '-b', 'mine');
  await writeFile(path.join(root, 'notes.txt'), 'uncommitted\n');

  const first = await runPlanned({ ...base, feature: 'sum', plans }, raceContext(config));
  assert.ok(first.warnings.some((w) => /Uncommitted changes.*notes\.txt/.test(w)));
  await assert.rejects(
    runPlanned({ ...base, feature: 'sum', plans }, raceContext(config)),
    /already exists[\s\S]*/,
  );

  const firstCreated = (await loadManifest(root, 'sum', 'race'))!.createdAt;
  const second = await runPlanned({ ...base, feature: 'sum', plans, replace: true }, raceContext(config));
  assert.equal(second.status, 'ready');
  assert.ok(second.warnings.some((w) => /notes\.txt/.test(w)));
  assert.equal(
    second.warnings.join().includes('docs/plans'),
    false,
    'its own record is not reported as uncommitted',
  );
  assert.notEqual((await loadManifest(root, 'sum', 'race'))!.createdAt, firstCreated);
  assert.deepEqual(branches(root), [
    'main',
    'mine',
    'sum/speed-run/runner-1',
    'sum/speed-run/runner-2',
    'user/keep',
  ]);
  assert.ok(worktreePaths(root).includes(path.join(root, '.worktrees', 'mine')));
  assert.equal(await readFile(path.join(root, 'notes.txt'), 'utf8'), 'uncommitted\n');
});

test('a pre-existing branch where a runner’s would go is refused, and nothing is created', async () => {
  const root = await repo();
  const sim = await simulator();
  sh(root, 'branch', 'sum/speed-run/runner-2');
  await assert.rejects(
    runPlanned(
      {
        mode: 'race',
        feature: 'sum',
        contract: CONTRACT,
        plans: planRaceRunners({ contract: CONTRACT, runners: 2 }),
        repoDir: root,
      },
      raceContext(raceConfig(sim, root)),
    ),
    /already exist.*branch sum\/speed-run\/runner-2/,
  );
  assert.deepEqual(branches(root), ['main', 'sum/speed-run/runner-2']);
  assert.equal(existsSync(path.join(root, 'docs')), false);
  assert.equal(sim.requests.length, 0);
});
