import { isSpeedRunError, SpeedRunError } from '../errors.js';
import type { SpeedRunConfig } from '../config/config-types.js';
import { requireApiKey } from '../config/require-api-key.js';
import {
  FileStreamExtractor,
  type ExtractedFile,
  type UnclosedFile,
} from '../extract/file-stream-extractor.js';
import { streamCompletion, type CompletionResult } from '../provider/stream-completion.js';
import { resolveOutputDir } from '../write/allowed-roots.js';
import { SafeFileWriter, type RejectedFile, type WrittenFile } from '../write/safe-file-writer.js';
import { buildPrompt, systemPromptFor } from './build-prompt.js';
import { readContextFiles } from './context-files.js';

/** Extra whole-generation attempts after a stream that broke once content had arrived. */
export const MAX_EXTRA_ATTEMPTS = 2;

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
  /** The reply hit `maxTokens` or left a file unclosed. */
  truncated: boolean;
  finishReason: string | null;
  /** Usage of the attempt that completed. */
  usage: CompletionResult['usage'];
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
  /** Pause between whole-generation attempts; tests shorten it. */
  retryDelayMs?: number;
}

/**
 * Contract in, files on disk, metadata out: builds the prompt, streams the reply, writes each file the moment
 * its closing tag arrives, and retries the whole generation when the stream breaks midway. Never returns file
 * contents.
 */
export async function generateFiles(
  config: SpeedRunConfig,
  request: GenerateFilesRequest,
  hooks: GenerateFilesHooks = {},
): Promise<GenerateFilesResult> {
  const now = hooks.now ?? Date.now;
  const startedAt = now();
  requireApiKey(config);
  const allowedRoots = [...config.allowedRoots, ...(request.extraRoots ?? [])];

  const outputDir = await resolveOutputDir(request.outputDir, { cwd: config.cwd, allowedRoots });
  const context = await readContextFiles(request.contextFiles ?? [], {
    cwd: config.cwd,
    allowedRoots,
    allowSecrets: request.allowSecretContext ?? false,
  });
  const prompt = buildPrompt(request.prompt, context);
  const systemPrompt = systemPromptFor(request.systemPrompt);
  const maxTokens = request.maxTokens ?? config.provider.maxOutputTokens;

  // One writer for every attempt: it keeps each path's original status and counts limits across attempts.
  const writer = new SafeFileWriter(outputDir, config.limits);
  const attemptByPath = new Map<string, number>();
  let timeToFirstFileMs: number | null = null;

  for (let attempt = 1; ; attempt++) {
    const extractor = new FileStreamExtractor();
    let writes: Promise<void> = Promise.resolve();
    const enqueue = (files: ExtractedFile[]) => {
      for (const file of files) {
        writes = writes.then(async () => {
          const outcome = await writer.write(file);
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
        },
      );
    } catch (error) {
      // Files that completed before the break are whole on disk; let their writes finish either way.
      await writes;
      const retry =
        isSpeedRunError(error) &&
        error.retryable &&
        attempt <= MAX_EXTRA_ATTEMPTS &&
        !request.signal?.aborted;
      if (!retry) throw withFilesOnDisk(error, outputDir, writer.written);
      await sleep(hooks.retryDelayMs ?? 250 * attempt);
      continue;
    }

    const ending = extractor.end();
    enqueue(ending.files);
    await writes;
    if (writer.written.length === 0 && writer.rejected.length === 0 && ending.unclosed.length === 0) {
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
      unclosed: ending.unclosed,
      truncated: completion.finishReason === 'length' || ending.unclosed.length > 0,
      finishReason: completion.finishReason,
      usage: completion.usage,
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
