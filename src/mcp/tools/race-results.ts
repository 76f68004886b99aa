// What the race tools return: one compact line per runner, the judge's evidence without the rubric the judge skill
// already carries, and only what a finish did. Everything else is in the run record on disk.
import type { FinishResult } from '../../race/finish-run.js';
import type { JudgeResult } from '../../race/judge-run.js';
import type { RerunResult } from '../../race/rerun-tests.js';
import type { RunnerScore, Scoreboard } from '../../race/record/scoreboard.js';

/** Bytes a failure message or test-output tail may take in a result. */
const MAX_MESSAGE_CHARS = 200;
const MAX_TAIL_CHARS = 1_200;

export interface LeanRunner {
  runner: string;
  status: string;
  files: number;
  lines: number;
  /** "passed/total"; absent when no tests ran. */
  tests?: string;
  tokens?: number;
  /** Generation seconds. */
  s?: number;
  fix_cycles?: number;
  /** Model repair rounds run. */
  repairs?: number;
  /** Why it failed, when it did: "stage: message". */
  failure?: string;
}

export function leanRunner(score: RunnerScore): LeanRunner {
  const lean: LeanRunner = {
    runner: score.runner,
    status: score.status,
    files: score.files,
    lines: score.lines,
  };
  if (score.tests) {
    const timedOut = score.tests.timed_out ? ' timed out' : '';
    lean.tests = `${score.tests.passed}/${score.tests.total}${timedOut}`;
  }
  if (score.tokens !== null) lean.tokens = score.tokens;
  if (score.generation_ms !== null) lean.s = Math.round(score.generation_ms / 100) / 10;
  if (score.fix_cycles > 0) lean.fix_cycles = score.fix_cycles;
  if (score.repair_rounds > 0) lean.repairs = score.repair_rounds;
  if (score.failure)
    lean.failure = clip(`${score.failure.stage}: ${score.failure.message}`, MAX_MESSAGE_CHARS);
  return lean;
}

export interface LeanScoreboard {
  status: string;
  runners: LeanRunner[];
  warnings?: string[];
}

export function leanScoreboard(board: Scoreboard): LeanScoreboard {
  return {
    status: board.status,
    runners: board.runners.map(leanRunner),
    ...(board.warnings.length > 0 ? { warnings: board.warnings } : {}),
  };
}

export function leanRerun(result: RerunResult): { runner: LeanRunner; tail?: string } {
  const runner = leanRunner(result.runner);
  return {
    runner,
    ...(result.tail === '' ? {} : { tail: clipStart(result.tail, MAX_TAIL_CHARS) }),
  };
}

export interface LeanJudgeRunner {
  runner: string;
  /** The measured gate that shut it out; absent for a contender. */
  out?: string;
  tests: string;
  files?: number;
  loc?: number;
  /** Absent when unknown. */
  tokens?: number;
  s: number;
  fix_cycles?: number;
  /** Model repair rounds it took. */
  repairs?: number;
  near_duplicate_of?: string[];
  /** Measured evidence worth a look: size against the smallest contender, long functions, deep nesting, … */
  notes?: string[];
}

export interface LeanJudge {
  contenders: string[];
  runners: LeanJudgeRunner[];
}

export function leanJudge(result: JudgeResult): LeanJudge {
  return {
    contenders: result.worksheet.contenders,
    runners: result.worksheet.runners.map((runner) => {
      const measured = runner.measured;
      const notes = Object.entries(runner.criteria ?? {})
        .filter(([criterion]) => criterion !== 'fitness')
        .flatMap(([, criterion]) => criterion.evidence)
        .filter((line) => !/: none$/.test(line) && !line.startsWith('languages:'));
      return {
        runner: runner.runner,
        ...(runner.gated !== null ? { out: runner.gated } : {}),
        tests: measured.tests,
        ...(measured.files !== null ? { files: measured.files } : {}),
        ...(measured.linesOfCode !== null ? { loc: measured.linesOfCode } : {}),
        ...(measured.tokens !== null ? { tokens: measured.tokens } : {}),
        s: measured.generationSeconds,
        ...(measured.fixCycles > 0 ? { fix_cycles: measured.fixCycles } : {}),
        ...(measured.repairRounds ? { repairs: measured.repairRounds } : {}),
        ...(measured.nearDuplicateOf.length > 0 ? { near_duplicate_of: measured.nearDuplicateOf } : {}),
        ...(notes.length > 0 ? { notes } : {}),
      };
    }),
  };
}

export interface LeanFinish {
  winner: string;
  /** git: the branch it was merged into. */
  merged_into?: string;
  /** Outside git: how many files were copied into the project. */
  copied_files?: number;
  /** Losers whose workspace or branch was kept, and why. */
  not_removed?: { runner: string; why: string[] }[];
}

/** What a finish did; the winner's workspace and branch stay, by the convention the skill states. */
export function leanFinish(result: FinishResult): LeanFinish {
  const notRemoved = result.removed
    .filter((loser) => !loser.removedDir || (loser.branch !== null && !loser.removedBranch))
    .map((loser) => ({ runner: loser.runner, why: loser.skipped }));
  return {
    winner: result.winner,
    ...(result.merged ? { merged_into: result.merged.into } : {}),
    ...(result.copied_files ? { copied_files: result.copied_files.length } : {}),
    ...(notRemoved.length > 0 ? { not_removed: notRemoved } : {}),
  };
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The end of a test output, where the failures and the summary are. */
function clipStart(text: string, max: number): string {
  return text.length > max ? `…${text.slice(text.length - max + 1)}` : text;
}
