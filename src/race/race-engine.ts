import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { requireApiKey } from '../config/require-api-key.js';
import type { SpeedRunConfig } from '../config/config-types.js';
import { redactSecrets } from '../config/redact.js';
import {
  generateFiles,
  type GenerateFilesHooks,
  type GenerateFilesRequest,
  type GenerateFilesResult,
} from '../codegen/generate-files.js';
import { SpeedRunError, isSpeedRunError } from '../errors.js';
import type { RequestLimiter } from '../provider/request-limiter.js';
import { checkRelativePath } from '../write/path-policy.js';
import { MAX_RUNNERS, MIN_RUNNERS, validateFeatureSlug } from './feature-slug.js';
import { runRoot } from './find-run.js';
import { commitPaths } from './git.js';
import {
  ManifestStore,
  loadManifest,
  manifestPath,
  relativeToRoot,
  runDir,
  writeManifestFile,
  type GenerationRecord,
  type RunManifest,
  type RunnerRecord,
} from './manifest-store.js';
import type { RaceMode } from './race-types.js';
import { removeRunRecord, removeRunnerWorkspaces } from './remove-run.js';
import type { RunnerPlan } from './runner-prompts.js';
import { buildScoreboard, type Scoreboard } from './scoreboard.js';
import { testWorkspace, type RunProgress } from './run-tests.js';
import {
  checkWorkspacesFree,
  createWorkspaces,
  ensureWorktreesIgnored,
  inspectRepo,
  planWorkspaces,
  removeWorkspace,
  type RepoInfo,
} from './workspaces.js';

export const DEFAULT_TIMEOUT_S = 300;

export interface RunRequest {
  mode: RaceMode;
  feature: string;
  /** The shared contract (already read from its file when one was given). */
  contract: string;
  /** Where the contract came from, for the record: a path, or null when inline. */
  contractFile?: string | null;
  /** What each runner gets, from runner-prompts.ts (planRaceRunners / planVariantRunners). */
  plans: RunnerPlan[];
  /** The race variation chosen (briefs / temperature / models); null for any-percent. */
  variation?: string | null;
  /** Generated files go here inside each workspace (relative). */
  outputSubdir?: string;
  setupCommand?: string;
  testCommand?: string;
  /** Per command (setup, tests). Default 300. */
  timeoutS?: number;
  /** Remove the previous run of this feature and mode (its recorded workspaces and branches only) first. */
  replace?: boolean;
  /** Real path of the directory the run happens in (see resolveRepoDir). */
  repoDir: string;
}

export type GenerateFn = (
  config: SpeedRunConfig,
  request: GenerateFilesRequest,
  hooks?: GenerateFilesHooks,
) => Promise<GenerateFilesResult>;

export interface EngineDeps {
  config: SpeedRunConfig;
  /** Default: generateFiles. */
  generate?: GenerateFn;
  /** Passed to generateFiles (tests, benchmarks). */
  fetch?: typeof fetch;
  /** Roots allowed besides config.allowedRoots (an MCP client's roots). */
  extraRoots?: string[];
  onProgress?: (progress: RunProgress) => void;
  /** Bounds test runs; default one slot per CPU core, shared by the process. */
  testSlots?: RequestLimiter;
  /** Environment for setup and test commands. */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  now?: () => number;
}

/**
 * Starts a race or any-percent run and carries it through: workspaces, concurrent generations, a commit of each
 * runner's files on its branch, setup and tests per workspace. Returns the scoreboard (metadata only). A runner
 * that fails is marked failed and the others go on; only input and set-up problems throw.
 */
export async function startRun(request: RunRequest, deps: EngineDeps): Promise<Scoreboard> {
  const now = deps.now ?? Date.now;
  const startedAt = now();
  const feature = validateFeatureSlug(request.feature);
  validateRequest(request);
  requireApiKey(deps.config); // no key: say so before making anything
  const outputSubdir = normalizeSubdir(request.outputSubdir);
  const timeoutS = request.timeoutS ?? DEFAULT_TIMEOUT_S;
  const root = await runRoot(request.repoDir);
  const warnings: string[] = [];

  const previous = await loadManifest(root, feature, request.mode);
  if (previous && !request.replace) {
    throw new SpeedRunError(
      'invalid_input',
      `A ${request.mode} run for feature "${feature}" already exists (${relativeToRoot(root, manifestPath(root, feature, request.mode))}, ${previous.status}).`,
      {
        field: 'feature',
        hint:
          'Finish it, pick another feature name, or pass replace: true (CLI: --replace) to remove its workspaces ' +
          'and branches and start again.',
      },
    );
  }
  if (previous) {
    const removed = await removeRunnerWorkspaces(
      previous,
      previous.runners.map((r) => r.id),
    );
    const kept = removed.filter((r) => r.skipped.length > 0);
    for (const r of kept) warnings.push(`replace: left ${r.dir} alone (${r.skipped.join('; ')})`);
    await removeRunRecord(previous);
  }

  const repo = await inspectRepo(root);
  // speed-run's own records (untracked by design) are not the user's uncommitted work.
  const uncommitted = repo.uncommitted.filter((p) => !/^docs\/plans\/[^/]+\/speed-run\//.test(p));
  if (uncommitted.length > 0) {
    const shown =
      uncommitted.slice(0, 5).join(', ') + (uncommitted.length > 5 ? `, … (${uncommitted.length})` : '');
    warnings.push(
      `Uncommitted changes are not in the runners' worktrees (they start from HEAD ${repo.baseCommit?.slice(0, 8)}): ${shown}.`,
    );
  }

  const runnerIds = request.plans.map((plan) => plan.runner);
  const workspaces = planWorkspaces(repo, feature, runnerIds);
  await checkWorkspacesFree(repo, workspaces);
  const gitignoreUpdated = await ensureWorktreesIgnored(repo);
  if (gitignoreUpdated)
    warnings.push('Added /.worktrees/ to .gitignore (left uncommitted for you to commit).');
  await createWorkspaces(repo, workspaces, { feature, mode: request.mode });

  const recordDir = runDir(root, feature, request.mode);
  let store: ManifestStore;
  try {
    const promptsDir = path.join(recordDir, 'prompts');
    await mkdir(promptsDir, { recursive: true });
    const runners: RunnerRecord[] = [];
    for (const [index, plan] of request.plans.entries()) {
      const promptFile = path.join(promptsDir, `${plan.runner}.md`);
      await writeFile(promptFile, plan.prompt);
      runners.push(
        newRunnerRecord(plan, index, relativeToRoot(root, promptFile), workspaces[index]!, outputSubdir),
      );
    }
    const manifest = newManifest(
      request,
      repo,
      { feature, outputSubdir, timeoutS, gitignoreUpdated, uncommitted },
      runners,
    );
    await writeManifestFile(manifestPath(root, feature, request.mode), manifest);
    store = new ManifestStore(manifestPath(root, feature, request.mode), manifest);
  } catch (error) {
    for (const workspace of workspaces)
      await removeWorkspace(repo, workspace, { feature, mode: request.mode });
    throw error;
  }
  await store.event(
    'run-started',
    null,
    `${request.plans.length} runners from ${repo.git ? repo.baseBranch : root}`,
  );
  for (const warning of warnings) await store.event('warning', null, warning);

  // The generation phase: from the moment every generation starts until the last one has all its files.
  const generationStartedAt = now();
  let generationEndedAt: number | null = null;
  const onGenerated = () => void (generationEndedAt = Math.max(generationEndedAt ?? 0, now()));
  await Promise.all(
    request.plans.map(async (plan, index) => {
      const generated = await generateRunner(
        store,
        plan,
        workspaces[index]!.dir,
        outputSubdir,
        deps,
        onGenerated,
      );
      if (generated && store.record.options.testCommand !== null) {
        await testWorkspace(store, plan.runner, {
          ...(deps.testSlots ? { slots: deps.testSlots } : {}),
          ...(deps.env ? { env: deps.env } : {}),
          ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
          ...(deps.signal ? { signal: deps.signal } : {}),
          secretVariables: [deps.config.provider.apiKeyVariable],
        });
      }
    }),
  );

  const ready = (m: RunManifest) => {
    m.status = 'ready';
    m.owner = null;
  };
  await store.update(ready, {
    type: 'run-ready',
    runner: null,
    message: summarize(store.record),
  });
  return buildScoreboard(store.record, relativeToRoot(root, store.file), {
    warnings,
    generationWallMs: generationEndedAt === null ? null : generationEndedAt - generationStartedAt,
    totalMs: now() - startedAt,
  });
}

/** Generates one runner's files, records them and commits them on its branch. Returns false when it failed. */
async function generateRunner(
  store: ManifestStore,
  plan: RunnerPlan,
  workspaceDir: string,
  outputSubdir: string | null,
  deps: EngineDeps,
  onGenerated: () => void,
): Promise<boolean> {
  const id = plan.runner;
  const progress = (status: RunProgress['status'], message: string) =>
    deps.onProgress?.({ runner: id, status, message });
  const generate = deps.generate ?? generateFiles;
  const outputDir =
    outputSubdir === null ? workspaceDir : path.join(workspaceDir, ...outputSubdir.split('/'));

  await store.update(() => void (store.runner(id).status = 'generating'), {
    type: 'generation-started',
    runner: id,
    message: plan.model ?? deps.config.provider.model,
  });
  progress('generating', plan.model ?? deps.config.provider.model);

  let result: GenerateFilesResult;
  let filesSoFar = 0;
  try {
    result = await generate(
      deps.config,
      {
        prompt: plan.prompt,
        outputDir,
        ...(plan.model !== undefined ? { model: plan.model } : {}),
        ...(plan.temperature !== undefined ? { temperature: plan.temperature } : {}),
        extraRoots: [...(deps.extraRoots ?? []), workspaceDir],
        ...(deps.signal ? { signal: deps.signal } : {}),
      },
      {
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
        onFile: (file) => {
          filesSoFar += 1;
          progress('generating', `${filesSoFar} files (${file.path})`);
        },
      },
    );
  } catch (error) {
    const message = redactSecrets(
      isSpeedRunError(error) ? `${error.kind}: ${error.message}` : `internal error: ${String(error)}`,
      [deps.config.provider.apiKey],
    );
    await markFailed(store, id, 'generation', message);
    progress('failed', message);
    return false;
  }

  onGenerated();
  const record = generationRecord(result);
  const noFiles = record.files.length === 0;
  await store.update(
    () => {
      const r = store.runner(id);
      r.generation = record;
      r.status = noFiles ? 'failed' : 'generated';
      if (noFiles)
        r.failure = { stage: 'generation', message: 'the reply contained no file that could be written' };
    },
    {
      type: noFiles ? 'generation-failed' : 'generation-done',
      runner: id,
      message: `${record.files.length} files, ${record.lines} lines, ${record.tokens.completion} tokens in ${record.durationMs} ms`,
    },
  );
  progress(noFiles ? 'failed' : 'generated', `${record.files.length} files, ${record.lines} lines`);
  if (noFiles) return false;

  if (store.record.repo.git) {
    const paths = record.files.map((file) =>
      outputSubdir === null ? file.path : `${outputSubdir}/${file.path}`,
    );
    try {
      const commit = await commitPaths(workspaceDir, paths, commitMessage(store.record, plan));
      await store.update(() => void (store.runner(id).commit = commit), {
        type: 'committed',
        runner: id,
        message: commit ?? 'nothing new to commit',
      });
    } catch (error) {
      await markFailed(store, id, 'commit', error instanceof Error ? error.message : String(error));
      progress('failed', 'commit failed');
      return false;
    }
  }
  return true;
}

function commitMessage(manifest: RunManifest, plan: RunnerPlan): string {
  const how =
    plan.variation.approach?.description ??
    [
      plan.variation.brief && `brief ${plan.variation.brief}`,
      plan.temperature !== undefined && `temperature ${plan.temperature}`,
    ]
      .filter(Boolean)
      .join(', ');
  return (
    `speed-run ${manifest.mode} ${manifest.feature}: ${plan.runner} generated files\n\n` +
    `Run: docs/plans/${manifest.feature}/speed-run/${manifest.mode}\nRunner: ${plan.runner}${how ? ` (${how})` : ''}\n`
  );
}

async function markFailed(
  store: ManifestStore,
  id: string,
  stage: NonNullable<RunnerRecord['failure']>['stage'],
  message: string,
): Promise<void> {
  await store.update(
    () => {
      const r = store.runner(id);
      r.status = 'failed';
      r.failure = { stage, message };
    },
    { type: `${stage}-failed`, runner: id, message },
  );
}

function generationRecord(result: GenerateFilesResult): GenerationRecord {
  return {
    model: result.model,
    files: result.files.map((file) => ({ path: file.path, lines: file.lines, bytes: file.bytes })),
    rejected: result.rejected.map((file) => ({ path: file.path, reason: file.reason })),
    unclosed: result.unclosed.map((file) => file.path),
    truncated: result.truncated,
    finishReason: result.finishReason,
    lines: result.files.reduce((sum, file) => sum + file.lines, 0),
    bytes: result.files.reduce((sum, file) => sum + file.bytes, 0),
    // The run record has no "unknown" yet: a provider that sent no usage is recorded as 0 here.
    tokens: {
      prompt: result.usage?.promptTokens ?? 0,
      completion: result.usage?.completionTokens ?? 0,
      total: result.usage?.totalTokens ?? 0,
    },
    durationMs: result.generationMs,
    timeToFirstFileMs: result.timeToFirstFileMs,
    llmCalls: result.attempts,
    limitReached: result.limitReached,
  };
}

function newRunnerRecord(
  plan: RunnerPlan,
  index: number,
  promptFile: string,
  workspace: { relDir: string; branch: string | null },
  outputSubdir: string | null,
): RunnerRecord {
  return {
    id: plan.runner,
    index: index + 1,
    approach: plan.variation.approach ?? null,
    variation: {
      kind: plan.variation.kind,
      brief: plan.variation.brief ?? null,
      temperature: plan.temperature ?? null,
      model: plan.model ?? null,
    },
    promptFile,
    promptChars: plan.prompt.length,
    workspace: { dir: workspace.relDir, branch: workspace.branch, outputDir: outputSubdir ?? '.' },
    status: 'queued',
    failure: null,
    generation: null,
    commit: null,
    setup: null,
    tests: null,
    fixCycles: 0,
  };
}

function newManifest(
  request: RunRequest,
  repo: RepoInfo,
  settled: {
    feature: string;
    outputSubdir: string | null;
    timeoutS: number;
    gitignoreUpdated: boolean;
    uncommitted: string[];
  },
  runners: RunnerRecord[],
): RunManifest {
  const at = new Date().toISOString();
  return {
    schemaVersion: 1,
    feature: settled.feature,
    mode: request.mode,
    status: 'running',
    owner: { pid: process.pid, host: hostname() },
    createdAt: at,
    updatedAt: at,
    repo: {
      root: repo.root,
      git: repo.git,
      baseBranch: repo.baseBranch,
      baseCommit: repo.baseCommit,
      uncommittedAtStart: settled.uncommitted.slice(0, 50),
      gitignoreUpdated: settled.gitignoreUpdated,
    },
    contract: {
      source: request.contractFile ? 'file' : 'inline',
      file: request.contractFile ?? null,
      chars: request.contract.length,
      sha256: createHash('sha256').update(request.contract).digest('hex'),
    },
    options: {
      variation: request.variation ?? null,
      outputSubdir: settled.outputSubdir,
      setupCommand: nonEmpty(request.setupCommand),
      testCommand: nonEmpty(request.testCommand),
      timeoutS: settled.timeoutS,
      models: [...new Set(request.plans.flatMap((plan) => (plan.model ? [plan.model] : [])))],
    },
    runners,
    events: [],
    finish: null,
  };
}

function validateRequest(request: RunRequest): void {
  if (request.mode !== 'race' && request.mode !== 'any-percent') {
    throw new SpeedRunError('invalid_input', `mode must be "race" or "any-percent".`, { field: 'mode' });
  }
  const count = request.plans.length;
  if (count < MIN_RUNNERS || count > MAX_RUNNERS) {
    throw new SpeedRunError(
      'invalid_input',
      `A run needs ${MIN_RUNNERS} to ${MAX_RUNNERS} runners, got ${count}.`,
      {
        field: request.mode === 'race' ? 'runners' : 'approaches',
        hint: 'Pick how many implementations to compare, e.g. 3.',
      },
    );
  }
  if (new Set(request.plans.map((plan) => plan.runner)).size !== count) {
    throw new SpeedRunError('invalid_input', 'Two runners have the same name.', { field: 'approaches' });
  }
  const timeout = request.timeoutS;
  if (timeout !== undefined && !(Number.isFinite(timeout) && timeout > 0 && timeout <= 24 * 3600)) {
    throw new SpeedRunError(
      'invalid_input',
      `timeout_s must be a number of seconds above 0 and at most 86400 (24 h), got ${timeout}.`,
      {
        field: 'timeout_s',
        hint: `Leave it out for the default, ${DEFAULT_TIMEOUT_S} s.`,
      },
    );
  }
  for (const [field, value] of [
    ['setup_command', request.setupCommand],
    ['test_command', request.testCommand],
  ] as const) {
    if (value !== undefined && value.includes('\0')) {
      throw new SpeedRunError('invalid_input', `${field} contains a NUL byte.`, { field });
    }
  }
}

/** `output_subdir` as a clean relative path with `/` separators, or null for the workspace root. */
function normalizeSubdir(subdir: string | undefined): string | null {
  if (subdir === undefined || subdir.trim() === '' || subdir.trim() === '.') return null;
  const verdict = checkRelativePath(subdir.trim().replace(/\/+$/, ''));
  if (!verdict.ok) {
    throw new SpeedRunError('path_rejected', `output_subdir "${subdir}" is not allowed: ${verdict.reason}.`, {
      field: 'output_subdir',
      hint: 'Use a relative directory inside the workspace, e.g. "src/feature".',
    });
  }
  return verdict.path.split(path.sep).join('/');
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value;
}

function summarize(manifest: RunManifest): string {
  const counts = new Map<string, number>();
  for (const runner of manifest.runners) counts.set(runner.status, (counts.get(runner.status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
}
