/**
 * `max_completion_tokens` for a plain text generation (the generate tool). Cerebras reserves rate-limit quota by
 * this number before generating, so it is sized for short answers. Every call can override it.
 */
export const DEFAULT_GENERATE_MAX_TOKENS = 4_096;

/** Output tokens expected per file the contract names (about 120 lines of code). */
export const TOKENS_PER_NAMED_FILE = 1_500;
/** Files assumed when the contract names none. */
export const FILES_WHEN_UNNAMED = 4;
/** Reasoning headroom by effort; `default` is for models that reason without being asked (no effort sent). */
export const REASONING_HEADROOM = {
  off: 0,
  low: 1_024,
  medium: 4_096,
  high: 12_288,
  default: 4_096,
} as const;
/** Never below this: a tiny budget would only buy continuations. */
export const MIN_FILE_BUDGET = 4_096;
/** The model's own output cap when it is not known (gpt-oss-120b on Cerebras allows about 32K). */
export const DEFAULT_MODEL_MAX_TOKENS = 32_768;

export type ReasoningEffort = 'off' | 'low' | 'medium' | 'high';

export interface FileBudgetInput {
  /** The contract (file paths are counted in it). */
  contract: string;
  /** Bytes of context files: an edit rewrites them, so they count as expected output. */
  contextBytes?: number;
  /** The effort sent, or undefined when none is sent (the model reasons by default, or not at all). */
  reasoningEffort?: ReasoningEffort;
  /** Prompt tokens (estimated), to leave room for them under the quota. */
  promptTokens?: number;
  /** The model's output limit. */
  modelMaxTokens?: number;
  /** The provider's tokens-per-minute limit, when known: a reservation above it could never be served. */
  quotaTokens?: number;
}

export interface FileBudget {
  maxTokens: number;
  /** How it was reached, for docs and tests: e.g. "3 files x 1500 + reasoning 1024, +25%". */
  rule: string;
}

const PATH =
  /(?:^|[\s`'"(<[])((?:[\w.-]+\/)*[\w-]+(?:\.[\w-]+)*\.[A-Za-z][\w]{0,7})(?=$|[\s`'"),:;>\]]|\.(?:\s|$))/g;

/**
 * `max_completion_tokens` for a file generation, chosen on purpose rather than a fixed 16K: Cerebras reserves
 * prompt + max_completion_tokens from the tokens-per-minute quota before it generates, so an oversized budget
 * turns a 5-runner race into a 429 storm, while an undersized one is caught by continuations. The rule: files
 * the contract names x 1,500 tokens (4 files when it names none) + context bytes / 3.5 (edits rewrite them) +
 * reasoning headroom for the effort, plus 25%; at least 4,096; at most the model's limit and what the quota can
 * ever hold after the prompt.
 */
export function sizeFileBudget(input: FileBudgetInput): FileBudget {
  const named = countNamedFiles(input.contract);
  const files = named > 0 ? named : FILES_WHEN_UNNAMED;
  const context = Math.ceil((input.contextBytes ?? 0) / 3.5);
  const reasoning = REASONING_HEADROOM[input.reasoningEffort ?? 'default'];
  const raw = Math.ceil((files * TOKENS_PER_NAMED_FILE + context + reasoning) * 1.25);
  let maxTokens = Math.max(MIN_FILE_BUDGET, Math.ceil(raw / 1024) * 1024);
  const caps = [input.modelMaxTokens ?? DEFAULT_MODEL_MAX_TOKENS];
  if (input.quotaTokens !== undefined) caps.push(input.quotaTokens - (input.promptTokens ?? 0));
  maxTokens = Math.max(1, Math.min(maxTokens, ...caps));
  const parts = [
    `${files} file${files === 1 ? '' : 's'}${named > 0 ? '' : ' (none named)'} x ${TOKENS_PER_NAMED_FILE}`,
    ...(context > 0 ? [`context ${context}`] : []),
    ...(reasoning > 0 ? [`reasoning ${reasoning}`] : []),
  ];
  return { maxTokens, rule: `${parts.join(' + ')}, +25%` };
}

/** Distinct file paths named in a contract (`src/a.ts`, `README.md`); version numbers and URLs are not paths. */
export function countNamedFiles(contract: string): number {
  const found = new Set<string>();
  for (const match of contract.matchAll(PATH)) {
    const path = match[1]!;
    if (/^\d+(\.\d+)+$/.test(path) || /^[\w-]+\.(com|org|io|net|dev|ai)$/i.test(path)) continue;
    if (/^(e\.g|i\.e)$/i.test(path)) continue;
    found.add(path);
  }
  return found.size;
}
