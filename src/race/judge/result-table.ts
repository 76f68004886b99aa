import type { RaceMode, TestSummary } from '../race-types.js';

export type RunnerOutcome = { kind: 'winner' } | { kind: 'gated'; reason: string } | { kind: 'not-chosen' };

export interface ResultRow {
  runner: string;
  /** The approach (any-percent) or what made the runner different (race). */
  approach?: string;
  /** null when the tests were not run. */
  tests: TestSummary | null;
  linesOfCode: number | null;
  llmCalls: number;
  /** null when the provider reported no usage. */
  tokens: number | null;
  generationMs: number;
  fixCycles: number;
  outcome: RunnerOutcome;
}

export interface ResultTableInput {
  feature: string;
  mode: RaceMode;
  /** Shown as given, e.g. an ISO timestamp: this module reads no clock. */
  date: string;
  winner: string | null;
  rows: ResultRow[];
}

function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').trim() || '—';
}

function thousands(value: number): string {
  return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function outcome(row: ResultRow): string {
  if (row.outcome.kind === 'winner') return '**winner**';
  if (row.outcome.kind === 'gated') return `gated: ${row.outcome.reason}`;
  return 'not chosen';
}

function tests(summary: TestSummary | null): string {
  if (summary === null) return 'not run';
  return `${summary.passed}/${summary.total}${summary.skipped > 0 ? ` (${summary.skipped} skipped)` : ''}`;
}

/** The run's `result.md`: a short header, then one table row per runner or variant. */
export function renderResultTable(input: ResultTableInput): string {
  const label = input.mode === 'race' ? 'Runner' : 'Variant';
  const header = [
    label,
    'Approach',
    'Tests',
    'Lines',
    'LLM calls',
    'Tokens',
    'Generation',
    'Fix cycles',
    'Result',
  ];
  const rows = input.rows.map((row) =>
    [
      row.runner,
      row.approach ?? '',
      tests(row.tests),
      row.linesOfCode === null ? '' : thousands(row.linesOfCode),
      String(row.llmCalls),
      row.tokens === null ? 'unknown' : thousands(row.tokens),
      `${(row.generationMs / 1000).toFixed(1)} s`,
      String(row.fixCycles),
      outcome(row),
    ].map(cell),
  );
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [
    `# speed-run ${input.mode}: ${input.feature}`,
    '',
    `- Date: ${input.date}`,
    `- Mode: ${input.mode}`,
    `- Winner: ${input.winner ?? 'none'}`,
    '',
    line(header),
    line(header.map(() => '---')),
    ...rows.map(line),
    '',
  ].join('\n');
}
