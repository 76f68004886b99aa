import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GenerateFilesResult } from '../../src/codegen/generate-files.js';
import {
  generationReport,
  MAX_REPORTED_FILES,
  MAX_REPORTED_REJECTED,
} from '../../src/codegen/generation-report.js';

function result(overrides: Partial<GenerateFilesResult> = {}): GenerateFilesResult {
  return {
    outputDir: '/work/out',
    files: [{ path: 'a.ts', lines: 10, bytes: 200, status: 'created', attempt: 1 }],
    rejected: [],
    unclosed: [],
    truncated: false,
    finishReason: 'stop',
    usage: { promptTokens: 100, completionTokens: 50, totalTokens: 150 },
    model: 'm',
    generationMs: 1234.4,
    timeToFirstFileMs: 100.6,
    attempts: 1,
    limitReached: null,
    ...overrides,
  };
}

test('a clean generation reports snake_case metadata without optional noise', () => {
  assert.deepEqual(generationReport(result()), {
    output_dir: '/work/out',
    files: [{ path: 'a.ts', lines: 10, bytes: 200, status: 'created' }],
    total_lines: 10,
    rejected: [],
    truncated: false,
    finish_reason: 'stop',
    model: 'm',
    usage: { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 },
    generation_ms: 1234,
    time_to_first_file_ms: 101,
    attempts: 1,
  });
});

test('attempt numbers appear only when the generation was retried', () => {
  const report = generationReport(
    result({
      attempts: 2,
      files: [
        { path: 'a.ts', lines: 1, bytes: 2, status: 'created', attempt: 1 },
        { path: 'b.ts', lines: 1, bytes: 2, status: 'created', attempt: 2 },
      ],
    }),
  );
  assert.deepEqual(
    report.files.map((file) => file.attempt),
    [1, 2],
  );
});

test('long lists are capped and the rest counted, so results stay small', () => {
  const files = Array.from({ length: MAX_REPORTED_FILES + 37 }, (_, i) => ({
    path: `src/f${i}.ts`,
    lines: 2,
    bytes: 10,
    status: 'created' as const,
    attempt: 1,
  }));
  const rejected = Array.from({ length: MAX_REPORTED_REJECTED + 5 }, (_, i) => ({
    path: `../x${i}`,
    reason: 'r'.repeat(2000),
  }));
  const report = generationReport(result({ files, rejected }));
  assert.equal(report.files.length, MAX_REPORTED_FILES);
  assert.equal(report.files_omitted, 37);
  assert.equal(report.total_lines, files.length * 2);
  assert.equal(report.rejected.length, MAX_REPORTED_REJECTED);
  assert.equal(report.rejected_omitted, 5);
  assert.ok(report.rejected.every((file) => file.reason.length <= 300));
  assert.ok(JSON.stringify(report).length < 40_000);
});

test('truncation and unclosed files come with a hint', () => {
  const cut = generationReport(
    result({ truncated: true, finishReason: 'length', unclosed: [{ path: 'b.ts', bytes: 99 }] }),
  );
  assert.deepEqual(cut.unclosed, [{ path: 'b.ts', bytes: 99 }]);
  assert.match(cut.hint ?? '', /max_tokens/);
  const empty = generationReport(result({ files: [] }));
  assert.match(empty.hint ?? '', /No <FILE/);
});

test('a reached limit is reported', () => {
  assert.equal(
    generationReport(result({ limitReached: 'Stopped at 2 files.' })).limit_reached,
    'Stopped at 2 files.',
  );
});
