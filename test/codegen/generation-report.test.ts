import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GenerateFilesResult } from '../../src/codegen/generate-files.js';
import {
  generationReport,
  leanGenerationReport,
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
    continuations: 0,
    maxTokens: 8192,
    limitReached: null,
    ...overrides,
  };
}

test('a clean generation reports snake_case metadata without optional noise', () => {
  assert.deepEqual(generationReport(result(), 0), {
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
    receipt: {
      model: 'm',
      generated_tokens: 50,
      agent_tokens_avoided: 50,
      basis: '(200 B written - 0 B prompt) / 4 B per token',
      wall_ms: 1234,
    },
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
    0,
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
  const report = generationReport(result({ files, rejected }), 0);
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
    0,
  );
  assert.deepEqual(cut.unclosed, [{ path: 'b.ts', bytes: 99 }]);
  assert.match(cut.hint ?? '', /max_tokens/);
  const empty = generationReport(result({ files: [] }), 0);
  assert.match(empty.hint ?? '', /No <FILE/);
});

test('a reached limit is reported', () => {
  assert.equal(
    generationReport(result({ limitReached: 'Stopped at 2 files.' }), 0).limit_reached,
    'Stopped at 2 files.',
  );
});

test('the lean MCP report: no defaults, no false flags, no convention paths; the receipt states its basis', () => {
  const lean = leanGenerationReport(
    result({
      files: [
        { path: 'a.ts', lines: 10, bytes: 4000, status: 'created', attempt: 1 },
        { path: 'b.ts', lines: 5, bytes: 2000, status: 'overwritten', attempt: 1 },
      ],
    }),
    1000,
  );
  assert.deepEqual(lean, {
    files: [
      { path: 'a.ts', lines: 10 },
      { path: 'b.ts', lines: 5, status: 'overwritten' },
    ],
    receipt: {
      model: 'm',
      generated_tokens: 50,
      agent_tokens_avoided: 1250,
      basis: '(6000 B written - 1000 B prompt) / 4 B per token',
      wall_ms: 1234,
    },
  });
  const cut = leanGenerationReport(
    result({
      attempts: 2,
      truncated: true,
      finishReason: 'length',
      unclosed: [{ path: 'c.ts', bytes: 9 }],
      rejected: [{ path: '../x', reason: 'outside' }],
    }),
    90_000,
  );
  assert.equal(cut.truncated, true);
  assert.equal(cut.finish_reason, 'length');
  assert.equal(cut.attempts, 2);
  assert.deepEqual(cut.files, [{ path: 'a.ts', lines: 10, attempt: 1 }]);
  assert.deepEqual(cut.rejected, [{ path: '../x', reason: 'outside' }]);
  assert.equal(cut.receipt.agent_tokens_avoided, 0, 'a prompt longer than the files saves nothing');
});
