import type { TestRunnerKind, TestSummary } from '../race-types.js';

interface Candidate {
  /** Line index of the summary's last line: the latest summary in the output wins. */
  at: number;
  summary: TestSummary;
}

// CSI sequences (colours, cursor moves) and OSC sequences (titles, hyperlinks).
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

function toLines(output: string): string[] {
  // A carriage return redraws the line: keep what was drawn last.
  return output
    .replace(ANSI, '')
    .split(/\r?\n/)
    .map((line) => line.slice(line.lastIndexOf('\r') + 1));
}

function summary(
  runner: TestRunnerKind,
  passed: number,
  failed: number,
  skipped: number,
  total?: number,
): TestSummary {
  return { passed, failed, skipped, total: total ?? passed + failed + skipped, runner };
}

/** `<count> <word>` pairs such as "3 failed", "5 passed". */
/** vitest and jest name their counts in words ("3 failed | 5 passed", "2 skipped, 1 todo"). */
function summaryOfCounts(runner: TestRunnerKind, found: Map<string, number>, total?: number): TestSummary {
  const skipped = (found.get('skipped') ?? 0) + (found.get('todo') ?? 0);
  return summary(runner, found.get('passed') ?? 0, found.get('failed') ?? 0, skipped, total);
}

function counts(text: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const match of text.matchAll(/(\d+)\s+([a-z]+)/g)) {
    const word = match[2] as string;
    found.set(word, (found.get(word) ?? 0) + Number(match[1]));
  }
  return found;
}

const NODE_KEY =
  /^\s*(?:ℹ|#)\s+(tests|suites|pass|fail|cancelled|skipped|todo|duration_ms)\s+(\d+(?:\.\d+)?)\s*$/;

// node:test prints one key per line (`ℹ pass 5` with spec, `# pass 5` with tap); a run of such lines is a summary.
function nodeTest(lines: string[]): Candidate[] {
  const found: Candidate[] = [];
  let block = new Map<string, number>();
  let last = -1;
  const flush = (): void => {
    if (block.has('pass') && block.has('fail')) {
      const failed = (block.get('fail') ?? 0) + (block.get('cancelled') ?? 0);
      const skipped = (block.get('skipped') ?? 0) + (block.get('todo') ?? 0);
      const passed = block.get('pass') ?? 0;
      found.push({ at: last, summary: summary('node:test', passed, failed, skipped, block.get('tests')) });
    }
    block = new Map();
  };
  lines.forEach((line, index) => {
    const match = NODE_KEY.exec(line);
    if (!match) {
      flush();
      return;
    }
    block.set(match[1] as string, Number(match[2]));
    last = index;
  });
  flush();
  return found;
}

function vitest(lines: string[]): Candidate[] {
  return lines.flatMap((line, at) => {
    const match = /^\s*Tests\s+(\d+\s+[a-z]+(?:\s*\|\s*\d+\s+[a-z]+)*)\s+\((\d+)\)/.exec(line);
    if (!match) return [];
    return [{ at, summary: summaryOfCounts('vitest', counts(match[1] as string), Number(match[2])) }];
  });
}

function jest(lines: string[]): Candidate[] {
  return lines.flatMap((line, at) => {
    const match = /^\s*Tests:\s+(.*?\d+\s+total)\s*$/.exec(line);
    if (!match) return [];
    const found = counts(match[1] as string);
    return [{ at, summary: summaryOfCounts('jest', found, found.get('total')) }];
  });
}

// `=== 2 failed, 5 passed, 1 skipped in 0.12s ===`; the `=` rule is absent with -q.
function pytest(lines: string[]): Candidate[] {
  return lines.flatMap((line, at) => {
    const match = /^[=\s]*((?:\d+\s+[a-z]+,?\s*)+|no tests ran)\s+in\s+\d+(?:\.\d+)?s\b.*?[=\s]*$/.exec(line);
    if (!match) return [];
    const found = counts(match[1] as string);
    const passed = (found.get('passed') ?? 0) + (found.get('xpassed') ?? 0);
    const failed = (found.get('failed') ?? 0) + (found.get('error') ?? 0) + (found.get('errors') ?? 0);
    const skipped = (found.get('skipped') ?? 0) + (found.get('xfailed') ?? 0);
    if (passed + failed + skipped === 0 && !match[1]?.startsWith('no tests')) return [];
    return [{ at, summary: summary('pytest', passed, failed, skipped) }];
  });
}

// Verbose output: one `--- PASS|FAIL|SKIP` line per test and subtest. Otherwise one `ok`/`FAIL` line per package.
function goTest(lines: string[]): Candidate[] {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let okPackages = 0;
  let failedPackages = 0;
  let at = -1;
  lines.forEach((line, index) => {
    const test = /^\s*--- (PASS|FAIL|SKIP): \S/.exec(line);
    if (test) {
      if (test[1] === 'PASS') passed += 1;
      else if (test[1] === 'FAIL') failed += 1;
      else skipped += 1;
      at = index;
    } else if (/^ok\s+\S+\s+(?:\d+(?:\.\d+)?s|\(cached\))/.test(line)) {
      okPackages += 1;
      at = index;
    } else if (/^FAIL\s+\S+\s+(?:\d+(?:\.\d+)?s|\[(?:build|setup) failed\])/.test(line)) {
      failedPackages += 1;
      at = index;
    }
  });
  if (at < 0) return [];
  if (passed + failed + skipped > 0) return [{ at, summary: summary('go test', passed, failed, skipped) }];
  return [{ at, summary: summary('go test', okPackages, failedPackages, 0) }];
}

function plain(lines: string[]): Candidate[] {
  return lines.flatMap((line, at) => {
    const match = /^\s*(?:[A-Za-z]+:\s*)?(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\.?\s*$/.exec(line);
    if (!match) return [];
    return [{ at, summary: summary('plain', Number(match[1]), Number(match[2]), Number(match[3] ?? 0)) }];
  });
}

const PARSERS = [nodeTest, vitest, jest, pytest, goTest, plain];

/**
 * Counts from a test command's output. Recognises node:test, vitest, jest, pytest, go test and a plain
 * `N passed, N failed[, N skipped]` line; when several summaries appear, the last one counts.
 * Unrecognised output gives zeros with `runner: null`.
 */
export function parseTestOutput(output: string): TestSummary {
  const lines = toLines(output);
  let best: Candidate | undefined;
  for (const parse of PARSERS) {
    for (const candidate of parse(lines)) {
      if (!best || candidate.at > best.at) best = candidate;
    }
  }
  return best?.summary ?? { passed: 0, failed: 0, skipped: 0, total: 0, runner: null };
}
