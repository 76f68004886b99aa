import type { CodeMetrics } from './code-metrics.js';
import type { RaceMode, TestSummary } from '../race-types.js';
import type { SimilarityPair } from './similarity.js';

export type CriterionName =
  'fitness' | 'justifiedComplexity' | 'readability' | 'robustnessAndScale' | 'maintainability';

export const CRITERIA: readonly CriterionName[] = [
  'fitness',
  'justifiedComplexity',
  'readability',
  'robustnessAndScale',
  'maintainability',
];

export interface GenerationEvidence {
  ok: boolean;
  /** Why generation failed, when it did. */
  error?: string;
  durationMs: number;
  /** null when unknown: nothing was generated, or the provider reported no usage. */
  tokens: number | null;
  llmCalls: number;
  fixCycles: number;
  /** Model repair rounds it took to get here (race `repair_rounds`); absent when none. */
  repairRounds?: number;
}

export interface TestRun {
  summary: TestSummary;
  exitCode: number | null;
  timedOut?: boolean;
}

/** What the engine measured for one runner. */
export interface RunnerEvidence {
  runner: string;
  /** What made this runner different, e.g. "defensive, t=0.35" or "trie: a prefix trie". */
  variation?: string;
  generation: GenerationEvidence;
  /** null when the tests were not run. */
  tests: TestRun | null;
  /** null when nothing was generated to measure. */
  metrics: CodeMetrics | null;
  /** Generated, yet its files equal the starting point: nothing of its own to judge. */
  unchanged?: boolean;
}

export interface Criterion {
  /** An integer 1-5, left for the agent. */
  score: null;
  evidence: string[];
}

export interface WorksheetRunner {
  runner: string;
  variation?: string;
  /** Why the measurable gate shut this runner out; null for a contender. */
  gated: string | null;
  measured: {
    tests: string;
    files: number | null;
    linesOfCode: number | null;
    generationSeconds: number;
    tokens: number | null;
    llmCalls: number;
    fixCycles: number;
    repairRounds?: number;
    nearDuplicateOf: string[];
    notMeasured?: string[];
  };
  /** Contenders only: gated runners are not scored. */
  criteria: Record<CriterionName, Criterion> | null;
}

export interface JudgeWorksheet {
  feature: string;
  mode: RaceMode;
  instructions: string;
  criteriaGuide: Record<CriterionName, string>;
  subjectiveGates: string[];
  efficiencyTieBreaker: string;
  contenders: string[];
  runners: WorksheetRunner[];
}

export const CRITERIA_GUIDE: Record<CriterionName, string> = {
  fitness:
    'Does it do what the contract asks, all of it, and nothing it should not? Tests are evidence, not proof.',
  justifiedComplexity:
    'Is every abstraction, file and line earning its place for this problem? LOC and nesting are measured.',
  readability:
    'Could the next engineer follow it quickly? Long functions, single-letter names, magic numbers are measured.',
  robustnessAndScale:
    'Input validation, error paths, edge cases, behaviour at the expected scale: not measured, read the code.',
  maintainability:
    'Structure, separation of concerns, tests beside the code, ease of change. Test files are counted.',
};

export const SUBJECTIVE_GATES = [
  'Gate out a contender whose fitness is 2 or more below the best fitness.',
  'Gate out a contender with a score of 1 on any criterion.',
];

export const EFFICIENCY_TIE_BREAKER =
  'Equal totals: fewer fix cycles wins, then fewer tokens, then shorter generation time.';

const INSTRUCTIONS =
  'Score each contender on the five criteria, an integer 1-5 each, from the evidence and your reading of its code. ' +
  'Apply the subjective gates; the highest total among the rest wins. Gated runners are not scored.';

const EXAMPLES = 3;

/** The reason the measurable gate shuts this runner out, or null when it passes. */
export function measurableGate(evidence: RunnerEvidence): string | null {
  const { generation, tests } = evidence;
  if (!generation.ok) return `generation failed${generation.error ? `: ${generation.error}` : ''}`;
  if (evidence.unchanged) return 'no change: its files equal the starting commit';
  if (tests === null) return 'tests not run';
  if (tests.timedOut) return 'tests timed out';
  const { summary } = tests;
  if (summary.failed > 0) return `${summary.failed} of ${summary.total} tests failed`;
  if (summary.runner === null) return `test output not recognised (exit code ${tests.exitCode ?? 'none'})`;
  if (summary.passed === 0)
    return summary.skipped > 0 ? `no test passed (${summary.skipped} skipped)` : 'no tests ran';
  if (tests.exitCode !== 0) return `test command exited with ${tests.exitCode ?? 'no exit code'}`;
  return null;
}

function describeTests(tests: TestRun | null): string {
  if (tests === null) return 'not run';
  const { summary } = tests;
  const skipped = summary.skipped > 0 ? `, ${summary.skipped} skipped` : '';
  const runner = summary.runner ? ` (${summary.runner})` : '';
  return `${summary.passed}/${summary.total} passed${skipped}${runner}${tests.timedOut ? ', timed out' : ''}`;
}

function examples<T>(items: T[], show: (item: T) => string): string {
  const shown = items.slice(0, EXAMPLES).map(show).join(', ');
  return items.length > EXAMPLES ? `${shown}, …` : shown;
}

function countLine<T>(label: string, items: T[], show: (item: T) => string): string {
  return items.length === 0 ? `${label}: none` : `${label}: ${items.length} (${examples(items, show)})`;
}

function criteriaFor(
  evidence: RunnerEvidence,
  smallest: { runner: string; lines: number } | null,
): Record<CriterionName, Criterion> {
  const metrics = evidence.metrics;
  const sheet = (lines: string[]): Criterion => ({ score: null, evidence: lines });
  const skipped = evidence.tests?.summary.skipped ?? 0;
  if (metrics === null) {
    return {
      fitness: sheet([`tests: ${describeTests(evidence.tests)}`]),
      justifiedComplexity: sheet([]),
      readability: sheet([]),
      robustnessAndScale: sheet(skipped > 0 ? [`${skipped} tests skipped`] : []),
      maintainability: sheet([]),
    };
  }
  let size = `${metrics.linesOfCode} lines of code in ${metrics.files} files`;
  if (smallest && smallest.runner !== evidence.runner && smallest.lines > 0) {
    size += ` (${(metrics.linesOfCode / smallest.lines).toFixed(1)}× ${smallest.runner})`;
  } else if (smallest?.runner === evidence.runner) {
    size += ' (smallest contender)';
  }
  const at = (item: { path: string; line: number }): string => `${item.path}:${item.line}`;
  return {
    fitness: sheet([`tests: ${describeTests(evidence.tests)}`]),
    justifiedComplexity: sheet([
      size,
      countLine('nested deeper than 3', metrics.deepNesting, (item) => `${at(item)} depth ${item.depth}`),
    ]),
    readability: sheet([
      countLine('functions over 50 lines', metrics.longFunctions, (item) => `${item.name} ${item.lines}`),
      countLine('single-letter names', metrics.singleLetterNames, (item) => `${item.name} ${at(item)}`),
      countLine('magic numbers', metrics.magicNumbers, (item) => `${item.value} ${at(item)}`),
    ]),
    robustnessAndScale: sheet(skipped > 0 ? [`${skipped} tests skipped`] : []),
    maintainability: sheet([
      `test files: ${metrics.testFiles} of ${metrics.files}`,
      `languages: ${metrics.languages.map((count) => `${count.language} ${count.linesOfCode}`).join(', ') || 'none'}`,
    ]),
  };
}

export interface WorksheetInput {
  feature: string;
  mode: RaceMode;
  runners: RunnerEvidence[];
  /** Pairs already flagged as near duplicates (flagNearDuplicates). */
  nearDuplicates?: SimilarityPair[];
}

/** The judge's worksheet: measured evidence per runner, the measurable gate applied, scores left blank. */
export function buildJudgeWorksheet(input: WorksheetInput): JudgeWorksheet {
  const gates = new Map(input.runners.map((runner) => [runner.runner, measurableGate(runner)]));
  const contenders = input.runners.filter((runner) => gates.get(runner.runner) === null);
  const smallest = contenders.reduce<{ runner: string; lines: number } | null>((best, runner) => {
    const lines = runner.metrics?.linesOfCode;
    return lines !== undefined && (best === null || lines < best.lines)
      ? { runner: runner.runner, lines }
      : best;
  }, null);
  const duplicates = input.nearDuplicates ?? [];
  return {
    feature: input.feature,
    mode: input.mode,
    instructions:
      contenders.length > 0 ? INSTRUCTIONS : 'No runner passed the measurable gate: there is no winner.',
    criteriaGuide: CRITERIA_GUIDE,
    subjectiveGates: SUBJECTIVE_GATES,
    efficiencyTieBreaker: EFFICIENCY_TIE_BREAKER,
    contenders: contenders.map((runner) => runner.runner),
    runners: input.runners.map((evidence) => {
      const gated = gates.get(evidence.runner) ?? null;
      const nearDuplicateOf = duplicates.flatMap((pair) => {
        if (pair.a === evidence.runner) return [`${pair.b} (${pair.similarity})`];
        if (pair.b === evidence.runner) return [`${pair.a} (${pair.similarity})`];
        return [];
      });
      const notMeasured = evidence.metrics?.notMeasured ?? [];
      return {
        runner: evidence.runner,
        ...(evidence.variation ? { variation: evidence.variation } : {}),
        gated,
        measured: {
          tests: describeTests(evidence.tests),
          files: evidence.metrics?.files ?? null,
          linesOfCode: evidence.metrics?.linesOfCode ?? null,
          generationSeconds: Math.round(evidence.generation.durationMs / 100) / 10,
          tokens: evidence.generation.tokens,
          llmCalls: evidence.generation.llmCalls,
          fixCycles: evidence.generation.fixCycles,
          ...(evidence.generation.repairRounds ? { repairRounds: evidence.generation.repairRounds } : {}),
          nearDuplicateOf,
          ...(notMeasured.length > 0 ? { notMeasured } : {}),
        },
        criteria: gated === null ? criteriaFor(evidence, smallest) : null,
      };
    }),
  };
}

export interface EfficiencyInputs {
  fixCycles: number;
  tokens: number | null;
  durationMs: number;
}

/**
 * Sort comparator for the efficiency tie-breaker: the more efficient runner sorts first. Tokens count only when
 * both are known: an unknown is not fewer.
 */
export function compareEfficiency(a: EfficiencyInputs, b: EfficiencyInputs): number {
  const tokens = a.tokens !== null && b.tokens !== null ? a.tokens - b.tokens : 0;
  return a.fixCycles - b.fixCycles || tokens || a.durationMs - b.durationMs;
}
