import path from 'node:path';
import { applyHunks } from '../edit/apply-hunks.js';
import { elisionReason } from '../edit/elision-guard.js';
import { isSpeedRunError, SpeedRunError } from '../errors.js';
import type { SpeedRunConfig } from '../config/config-types.js';
import { resolveModelAlias } from '../config/model-aliases.js';
import { requireApiKey } from '../config/require-api-key.js';
import {
  FileStreamExtractor,
  isEdit,
  type ExtractedBlock,
  type UnclosedFile,
} from '../extract/file-stream-extractor.js';
import { providerLabel } from '../provider/map-provider-error.js';
import { ProviderScheduler } from '../provider/provider-scheduler.js';
import { reasoningEffortFor } from '../provider/reasoning-effort.js';
import { streamCompletion, type CompletionResult } from '../provider/stream-completion.js';
import { resolveOutputDir } from '../write/allowed-roots.js';
import { isWithin } from '../write/path-policy.js';
import {
  SafeFileWriter,
  type RejectedFile,
  type WriteRequest,
  type WrittenFile,
} from '../write/safe-file-writer.js';
import { buildPrompt, systemPromptFor, type PromptContextFile } from './build-prompt.js';
import { readContextFiles, type ContextFile } from './context-files.js';
import { sizeFileBudget, type ReasoningEffort } from './token-budgets.js';

/** Extra whole-generation attempts after a stream that broke once content had arrived. */
export const MAX_EXTRA_ATTEMPTS = 2;
/** Follow-up calls for the missing or unfinished files after a reply that stopped short. */
export const MAX_CONTINUATIONS = 2;

export interface GenerateFilesRequest {
  /** The contract: what to build, as precisely as the agent can say it. */
  prompt: string;
  /** Where the files go: absolute, or relative to `config.cwd`. Must lie inside an allowed root. */
  outputDir: string;
  systemPrompt?: string;
  /** Files read server-side and embedded in the prompt, relative to `config.cwd` or absolute. */
  contextFiles?: string[];
  /** Embed context files that look like secrets (.env, keys); refused by default. */
  allowSecretContext?: boolean;
  /** Write a whole-file overwrite even when it looks elided (much shorter, with `// ... existing code ...`). */
  allowElided?: boolean;
  /** The whole user message, already built (repair rounds); `prompt` and `contextFiles` are then not used. */
  userMessage?: string;
  model?: string;
  maxTokens?: number;
  temperature?: number;
  /** Roots allowed besides `config.allowedRoots`, e.g. the roots an MCP client declares. */
  extraRoots?: string[];
  signal?: AbortSignal;
}

export interface GeneratedFile extends WrittenFile {
  /** The attempt (1-based) whose reply wrote the file that is now on disk. */
  attempt: number;
}

export interface GenerateFilesResult {
  /** Real absolute path of the output directory. */
  outputDir: string;
  /** Files on disk, in the order they first landed; paths relative to `outputDir`. */
  files: GeneratedFile[];
  rejected: RejectedFile[];
  /** Files the reply opened but never closed (not written). */
  unclosed: UnclosedFile[];
  /** Files are still missing or unfinished after the continuations: the last reply hit `maxTokens` or left a file unclosed. */
  truncated: boolean;
  finishReason: string | null;
  /** Usage of the calls that made the result (continuations included); null if any of them reported none. */
  usage: CompletionResult['usage'];
  /** Follow-up calls made for missing or unfinished files after a reply stopped short (at most MAX_CONTINUATIONS). */
  continuations: number;
  /** The max_completion_tokens each call asked for (sized from the contract unless set). */
  maxTokens: number;
  /** Set when a fallback provider served the call: which, with what model, and why the one before failed. */
  fallback?: { provider: string; model: string; reason: string };
  model: string;
  generationMs: number;
  /** From the call to the first file on disk; null when no file was written. */
  timeToFirstFileMs: number | null;
  attempts: number;
  /** The first write limit that refused a file, as a sentence; null when none did. */
  limitReached: string | null;
}

export interface GenerateFilesHooks {
  /** Called after each file is on disk (attempt included). */
  onFile?(file: GeneratedFile): void;
  /** Called for each streamed delta: reasoning (hidden thinking) or content (the reply being written). */
  onDelta?(kind: 'reasoning' | 'content'): void;
  fetch?: typeof fetch;
  now?: () => number;
  /** The process's provider scheduler; default: one for this generation (its attempts share it). */
  scheduler?: ProviderScheduler;
  /** Pause between whole-generation attempts; tests shorten it. */
  retryDelayMs?: number;
  /** Write through this writer (into its directory) instead of a new one: repair rounds share the first's. */
  writer?: SafeFileWriter;
}

/**
 * Contract in, files on disk, metadata out: builds the prompt, streams the reply, writes each file the moment
 * its closing tag arrives, and retries the whole generation when the stream breaks midway. Never returns file
 * contents.
 */
export async function generateFiles(
  config: SpeedRunConfig,
  given: GenerateFilesRequest,
  hooks: GenerateFilesHooks = {},
): Promise<GenerateFilesResult> {
  const request =
    given.model === undefined
      ? given
      : { ...given, model: resolveModelAlias(given.model, config.modelAliases) };
  try {
    return await generateWith(config, request, hooks);
  } catch (error) {
    let failure = error;
    let failed = request.model === undefined ? config.provider : { ...config.provider, model: request.model };
    for (const fallback of config.fallbackProviders ?? []) {
      if (!fallsBack(failure) || request.signal?.aborted) break;
      const reason = `${providerLabel(failed)} (${failed.model}) failed: ${(failure as SpeedRunError).message}`;
      try {
        // A fallback serves its own model with its own quota (a scheduler of its own); never silently.
        const { model: _primaryModel, ...rest } = request;
        const result = await generateWith({ ...config, provider: fallback }, rest, {
          ...hooks,
          scheduler: new ProviderScheduler(),
        });
        return { ...result, fallback: { provider: fallback.provider, model: result.model, reason } };
      } catch (next) {
        failure = next;
        failed = fallback;
      }
    }
    throw failure;
  }
}

/**
 * Falls back to the next provider for an outage (unreachable, 5xx after retries, a stream broken past its
 * retries), a retired or unknown model, or a quota that will not reset in time; never when files were already
 * written (the error lists them), and never for a refusal of the request itself (4xx, auth, config).
 */
function fallsBack(error: unknown): boolean {
  if (!isSpeedRunError(error) || error instanceof GenerationError) return false;
  if (error.kind === 'unreachable' || error.kind === 'model_not_found' || error.kind === 'rate_limited')
    return true;
  if (error.kind === 'timeout' || error.kind === 'idle_timeout') return true;
  return error.kind === 'provider' && (error.retryable || (error.statusCode ?? 0) >= 500);
}

async function generateWith(
  config: SpeedRunConfig,
  request: GenerateFilesRequest,
  hooks: GenerateFilesHooks = {},
): Promise<GenerateFilesResult> {
  const now = hooks.now ?? Date.now;
  const startedAt = now();
  requireApiKey(config);
  const allowedRoots = [...config.allowedRoots, ...(request.extraRoots ?? [])];

  const outputDir =
    hooks.writer?.directory ?? (await resolveOutputDir(request.outputDir, { cwd: config.cwd, allowedRoots }));
  const context =
    request.userMessage === undefined
      ? await readContextFiles(request.contextFiles ?? [], {
          cwd: config.cwd,
          allowedRoots,
          allowSecrets: request.allowSecretContext ?? false,
        })
      : [];
  const promptContext = asPromptContext(context, config.cwd, outputDir);
  const firstPrompt = request.userMessage ?? buildPrompt(request.prompt, promptContext);
  let prompt = firstPrompt;
  const systemPrompt = systemPromptFor(request.systemPrompt);
  const toWrite = writeRequestFor(promptContext, context, request.allowElided ?? false);

  // One writer for every attempt: it keeps each path's original status and counts limits across attempts.
  const writer = hooks.writer ?? new SafeFileWriter(outputDir, config.limits);
  const scheduler = hooks.scheduler ?? new ProviderScheduler({ now });
  const model = request.model ?? config.provider.model;
  const maxTokens =
    request.maxTokens ??
    config.provider.maxOutputTokens ??
    sizeFileBudget({
      contract: request.prompt,
      contextBytes: context.reduce((sum, file) => sum + Buffer.byteLength(file.content), 0),
      ...effortFor(config.provider.reasoningEffort, model),
      promptTokens: Math.ceil((firstPrompt.length + systemPrompt.length) / 3.5),
      ...quotaFor(scheduler),
    }).maxTokens;
  const attemptByPath = new Map<string, number>();
  let timeToFirstFileMs: number | null = null;
  let retries = 0;
  let continuations = 0;
  const unfinished = new Map<string, UnclosedFile>();
  let usage: CompletionResult['usage'] = null;
  let usageKnown = true;

  for (let attempt = 1; ; attempt++) {
    const extractor = new FileStreamExtractor();
    let writes: Promise<void> = Promise.resolve();
    const enqueue = (blocks: ExtractedBlock[]) => {
      for (const block of blocks) {
        writes = writes.then(async () => {
          const outcome = await writer.write(toWrite(block));
          if (!outcome.written) return;
          attemptByPath.set(outcome.path, attempt);
          timeToFirstFileMs ??= now() - startedAt;
          const { written: _written, ...meta } = outcome;
          hooks.onFile?.({ ...meta, attempt });
        });
      }
    };

    let completion: CompletionResult;
    try {
      completion = await streamCompletion(
        config.provider,
        {
          prompt,
          systemPrompt,
          maxTokens,
          ...(request.model !== undefined ? { model: request.model } : {}),
          ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
          ...(request.signal !== undefined ? { signal: request.signal } : {}),
        },
        (delta) => {
          hooks.onDelta?.('content');
          enqueue(extractor.push(delta));
        },
        {
          ...(hooks.fetch ? { fetch: hooks.fetch } : {}),
          ...(hooks.onDelta ? { onReasoning: () => hooks.onDelta?.('reasoning') } : {}),
          now,
          scheduler,
        },
      );
    } catch (error) {
      // Files that completed before the break are whole on disk; let their writes finish either way.
      await writes;
      const retry =
        isSpeedRunError(error) && error.retryable && retries < MAX_EXTRA_ATTEMPTS && !request.signal?.aborted;
      if (!retry) throw withFilesOnDisk(error, outputDir, writer.written);
      retries += 1;
      await sleep(hooks.retryDelayMs ?? 250 * retries);
      continue;
    }

    const ending = extractor.end();
    enqueue(ending.files);
    await writes;
    usage = addUsage(usage, completion.usage, usageKnown);
    usageKnown &&= completion.usage !== null;

    // A file cut off by an earlier call stays unfinished until a later one writes it.
    const writtenPaths = new Set(writer.written.map((file) => file.path));
    for (const file of ending.unclosed) unfinished.set(file.path, file);
    for (const file of unfinished.keys()) if (writtenPaths.has(file)) unfinished.delete(file);
    const stoppedShort = completion.finishReason === 'length' || unfinished.size > 0;
    if (stoppedShort && continuations < MAX_CONTINUATIONS && !request.signal?.aborted) {
      continuations += 1;
      prompt = continuationPrompt(firstPrompt, [...writtenPaths], [...unfinished.keys()]);
      continue;
    }
    if (writer.written.length === 0 && writer.rejected.length === 0 && unfinished.size === 0) {
      throw noFilesError(completion.text);
    }

    const files = writer.written.map((file) => ({
      ...file,
      attempt: attemptByPath.get(file.path) ?? attempt,
    }));
    return {
      outputDir,
      files,
      rejected: dedupeRejected(writer.rejected),
      unclosed: [...unfinished.values()],
      truncated: stoppedShort,
      finishReason: completion.finishReason,
      usage,
      continuations,
      maxTokens,
      model: completion.model,
      generationMs: now() - startedAt,
      timeToFirstFileMs,
      attempts: attempt,
      limitReached: writer.limitReached,
    };
  }
}

/** Characters of a file-less reply shown to the user or agent: enough for a question the model asked. */
export const REPLY_EXCERPT_CHARS = 400;

/** A reply without a single file is a failure; what the model said instead is often a question to answer. */
function noFilesError(text: string): SpeedRunError {
  const said = text
    .replace(/<think>[\s\S]*?<\/think>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const excerpt =
    said.length > REPLY_EXCERPT_CHARS ? `${said.slice(0, REPLY_EXCERPT_CHARS - 1)}…` : said || '(nothing)';
  return new SpeedRunError('provider', `The model replied without any <FILE> blocks. It said: ${excerpt}`, {
    hint:
      'Answer what it asked or needed in the contract, and name every file to write with its path, then ' +
      'generate again.',
  });
}

/**
 * The follow-up after a reply that stopped short: the same request, naming the files already on disk (not to be
 * repeated) and the ones cut off (to be written again whole), asking only for what is still missing.
 */
export function continuationPrompt(original: string, finished: string[], unfinished: string[]): string {
  const lines = [
    original,
    '',
    '## Continuation',
    'Your previous reply to this request stopped before it was complete.',
    finished.length > 0
      ? `These files are complete and already on disk; do not write them again: ${finished.join(', ')}.`
      : 'No file was completed.',
    ...(unfinished.length > 0
      ? [`These were cut off and were not saved; write each again in full: ${unfinished.join(', ')}.`]
      : []),
    'Write only the files that are still missing or unfinished, in the same format, and nothing else.',
  ];
  return lines.join('\n');
}

/** Usage summed over the calls of one generation; null as soon as one call reported none. */
function addUsage(
  total: CompletionResult['usage'],
  next: CompletionResult['usage'],
  knownSoFar: boolean,
): CompletionResult['usage'] {
  if (!knownSoFar || next === null) return null;
  if (total === null) return next;
  const reasoning =
    total.reasoningTokens === undefined && next.reasoningTokens === undefined
      ? {}
      : { reasoningTokens: (total.reasoningTokens ?? 0) + (next.reasoningTokens ?? 0) };
  return {
    promptTokens: total.promptTokens + next.promptTokens,
    completionTokens: total.completionTokens + next.completionTokens,
    totalTokens: total.totalTokens + next.totalTokens,
    ...reasoning,
  };
}

function effortFor(
  configured: ReasoningEffort | undefined,
  model: string,
): { reasoningEffort?: ReasoningEffort } {
  const sent = reasoningEffortFor(configured, model);
  if (sent !== undefined) return { reasoningEffort: sent };
  return configured === 'off' ? { reasoningEffort: 'off' } : {};
}

function quotaFor(scheduler: ProviderScheduler): { quotaTokens?: number } {
  const limit = scheduler.quota()?.tokensPerMinute?.limit;
  return limit === undefined ? {} : { quotaTokens: limit };
}

/** Names listed in an error message before the rest are counted. */
const MAX_LISTED_FILES = 20;

/**
 * An error that ended a generation after some files were written still says which files are on disk, so the
 * caller neither loses them nor blindly asks for them again.
 */
export class GenerationError extends SpeedRunError {
  readonly outputDir: string;
  readonly files: WrittenFile[];

  constructor(error: SpeedRunError, outputDir: string, files: WrittenFile[]) {
    const listed = files.slice(0, MAX_LISTED_FILES).map((file) => file.path);
    const more = files.length > listed.length ? ` and ${files.length - listed.length} more` : '';
    super(error.kind, `${error.message} Already written to ${outputDir}: ${listed.join(', ')}${more}.`, {
      ...(error.hint === undefined ? {} : { hint: error.hint }),
      ...(error.field === undefined ? {} : { field: error.field }),
      ...(error.statusCode === undefined ? {} : { statusCode: error.statusCode }),
      retryable: error.retryable,
    });
    this.outputDir = outputDir;
    this.files = files;
  }
}

function withFilesOnDisk(error: unknown, outputDir: string, files: WrittenFile[]): unknown {
  if (!isSpeedRunError(error) || files.length === 0 || error instanceof GenerationError) return error;
  return new GenerationError(error, outputDir, [...files]);
}

/** A request's context files, read again, as its prompt shows them (repair rounds show them to the model). */
export async function readPromptContext(
  config: SpeedRunConfig,
  request: GenerateFilesRequest,
  outputDir: string,
): Promise<PromptContextFile[]> {
  const context = await readContextFiles(request.contextFiles ?? [], {
    cwd: config.cwd,
    allowedRoots: [...config.allowedRoots, ...(request.extraRoots ?? [])],
    allowSecrets: request.allowSecretContext ?? false,
  });
  return asPromptContext(context, config.cwd, outputDir);
}

/**
 * Context files as the prompt shows them: a file inside the output directory is named relative to it and marked
 * editable (an EDIT block names it that way); others keep the path the caller gave.
 */
function asPromptContext(context: ContextFile[], cwd: string, outputDir: string): PromptContextFile[] {
  return context.map((file) => {
    const absolute = path.resolve(cwd, file.path);
    if (!isWithin(outputDir, absolute) || absolute === outputDir)
      return { path: file.path, content: file.content };
    return {
      path: path.relative(outputDir, absolute).split(path.sep).join('/'),
      content: file.content,
      editable: true,
    };
  });
}

/**
 * How each extracted block is written: a FILE whole (refused when it looks like an elided overwrite, unless
 * allowed), an EDIT as hunks applied to the file on disk. An EDIT that names an editable context file by the path
 * the caller gave is pointed at that file.
 */
function writeRequestFor(
  shown: PromptContextFile[],
  given: ContextFile[],
  allowElided: boolean,
): (block: ExtractedBlock) => WriteRequest {
  const byGivenPath = new Map<string, string>();
  shown.forEach((file, index) => {
    const original = given[index]?.path;
    if (file.editable && original !== undefined) byGivenPath.set(original, file.path);
  });
  return (block) => {
    if (!isEdit(block)) {
      return allowElided
        ? block
        : { ...block, vetOverwrite: (existing: string) => elisionReason(existing, block.content) };
    }
    const target = byGivenPath.get(block.path) ?? block.path;
    return {
      path: target,
      content: '',
      edit: (existing: string) => {
        if (block.malformed !== undefined) return { reason: `EDIT block refused: ${block.malformed}` };
        const applied = applyHunks(existing, block.hunks);
        if (!applied.ok) {
          return {
            reason: `EDIT hunk ${applied.hunk} of ${block.hunks.length} refused: ${applied.reason}; file unchanged`,
          };
        }
        return {
          content: applied.content,
          hunks: applied.hunks,
          added: applied.added,
          removed: applied.removed,
        };
      },
    };
  };
}

/** A path refused the same way by two attempts is reported once. */
function dedupeRejected(rejected: RejectedFile[]): RejectedFile[] {
  const seen = new Set<string>();
  return rejected.filter((file) => {
    const key = `${file.path}\0${file.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
