import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { GenerationError, generateFiles, type GeneratedFile } from '../../src/codegen/generate-files.js';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { isSpeedRunError } from '../../src/errors.js';
import { fileReply, fileReplyPaths } from '../support/file-reply.js';
import { startSimulator, type Simulator } from '../support/openai-simulator.js';

let simulator: Simulator;
let root: string;

before(async () => {
  simulator = await startSimulator({ tokensPerSecond: 20_000 });
  root = await realpath(await mkdtemp(path.join(tmpdir(), 'speed-run-generate-')));
});
after(async () => {
  await simulator.close();
  await rm(root, { recursive: true, force: true });
});

function config(env: Record<string, string> = {}) {
  return resolveConfig({
    env: {
      SPEED_RUN_BASE_URL: simulator.baseUrl,
      SPEED_RUN_API_KEY: simulator.apiKey,
      SPEED_RUN_MODEL: 'gpt-oss-120b',
      ...env,
    },
    cwd: root,
  });
}

async function listAll(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}

test('writes all files of a reply, in order, with metadata', async () => {
  simulator.enqueue({ content: fileReply({ files: 20, lines: 30 }) });
  const landed: GeneratedFile[] = [];
  const result = await generateFiles(
    config(),
    { prompt: 'Write twenty modules.', outputDir: 'twenty' },
    { onFile: (file) => landed.push(file) },
  );
  assert.deepEqual(
    result.files.map((file) => file.path),
    fileReplyPaths({ files: 20 }),
  );
  assert.deepEqual(landed, result.files);
  assert.ok(
    result.files.every((file) => file.lines === 30 && file.status === 'created' && file.attempt === 1),
  );
  assert.ok(result.timeToFirstFileMs !== null && result.timeToFirstFileMs <= result.generationMs);
  assert.equal(result.truncated, false);
  assert.equal(result.finishReason, 'stop');
  assert.equal(result.attempts, 1);
  assert.ok(result.usage !== null && result.usage.completionTokens > 0);
  assert.equal(result.outputDir, path.join(root, 'twenty'));
  const onDisk = await readFile(path.join(root, 'twenty', 'src/module-01.ts'), 'utf8');
  assert.match(onDisk, /compute0_1/);
});

test('a file is on disk as soon as it closes, while the stream is still open', async () => {
  // The stream stalls halfway and never ends: whatever is on disk got there before the end of the stream.
  simulator.enqueue({ content: fileReply({ files: 6, lines: 20 }), fault: 'hang-mid-stream' });
  const controller = new AbortController();
  const landed: string[] = [];
  const generation = generateFiles(
    config(),
    { prompt: 'x', outputDir: 'streaming', signal: controller.signal },
    {
      onFile: (file) => {
        landed.push(file.path);
        if (landed.length === 1) controller.abort(new Error('seen enough'));
      },
    },
  );
  await assert.rejects(generation, /seen enough/);
  assert.equal(landed[0], 'src/module-01.ts');
  assert.ok(landed.length < 6, 'only files from the half that was sent');
  const content = await readFile(path.join(root, 'streaming', 'src/module-01.ts'), 'utf8');
  assert.match(content, /compute0_1/);
});

test('the prompt carries the contract, the context files and the output format', async () => {
  await writeFile(path.join(root, 'types.ts'), 'export type UserId = string; // CONTEXT_MARKER\n');
  simulator.enqueue({ content: '<FILE path="a.ts">\nexport {};\n</FILE>\n' });
  await generateFiles(config(), {
    prompt: 'CONTRACT_MARKER',
    outputDir: 'ctx',
    contextFiles: ['types.ts'],
    systemPrompt: 'SYSTEM_MARKER',
    maxTokens: 1234,
    temperature: 0.2,
  });
  const body = simulator.requests.at(-1)?.body as {
    messages: { role: string; content: string }[];
    max_completion_tokens: number;
    temperature: number;
  };
  assert.equal(body.messages[0]?.content, 'SYSTEM_MARKER');
  const user = body.messages[1]?.content ?? '';
  assert.ok(user.indexOf('CONTEXT_MARKER') < user.indexOf('CONTRACT_MARKER'));
  assert.match(user, /<FILE path=/);
  assert.equal(body.max_completion_tokens, 1234);
  assert.equal(body.temperature, 0.2);
});

test('SPEED_RUN_MAX_TOKENS sizes max_completion_tokens when the call does not', async () => {
  simulator.enqueue({ content: '<FILE path="a.ts">\nexport {};\n</FILE>\n' });
  await generateFiles(config({ SPEED_RUN_MAX_TOKENS: '6000' }), { prompt: 'x', outputDir: 'env-tokens' });
  assert.equal(
    (simulator.requests.at(-1)?.body as { max_completion_tokens: number }).max_completion_tokens,
    6000,
  );
});

test('unset, max_completion_tokens is sized from the files the contract names; gpt-oss gets reasoning_effort low', async () => {
  simulator.enqueue({ content: '<FILE path="a.ts">\nexport {};\n</FILE>\n' });
  const result = await generateFiles(config(), {
    prompt: 'Write src/a.ts, src/b.ts and test/a.test.ts (see https://example.com, v1.2.3).',
    outputDir: 'default-tokens',
  });
  const body = simulator.requests.at(-1)?.body as { max_completion_tokens: number; reasoning_effort: string };
  // (3 files x 1500 + 1024 reasoning) x 1.25, rounded up to a multiple of 1024.
  assert.equal(body.max_completion_tokens, 7168);
  assert.equal(result.maxTokens, 7168);
  assert.equal(body.reasoning_effort, 'low');
});

test('SPEED_RUN_REASONING_EFFORT=off sends none; a model that takes no effort gets none', async () => {
  const reply = { content: '<FILE path="a.ts">\nexport {};\n</FILE>\n' };
  simulator.enqueue(reply, reply);
  await generateFiles(config({ SPEED_RUN_REASONING_EFFORT: 'off' }), { prompt: 'x', outputDir: 'no-effort' });
  assert.equal('reasoning_effort' in (simulator.requests.at(-1)?.body as object), false);
  await generateFiles(config({ SPEED_RUN_MODEL: 'llama-3.3-70b' }), {
    prompt: 'x',
    outputDir: 'no-effort-2',
  });
  assert.equal('reasoning_effort' in (simulator.requests.at(-1)?.body as object), false);
});

test('a stream that breaks midway is retried whole; earlier files stay, attempts are reported', async () => {
  const content = fileReply({ files: 6, lines: 20 });
  simulator.enqueue({ content, fault: 'disconnect-mid-stream' }, { content });
  const result = await generateFiles(config(), { prompt: 'x', outputDir: 'retried' }, { retryDelayMs: 1 });
  assert.equal(result.attempts, 2);
  assert.equal(result.files.length, 6);
  assert.ok(result.files.every((file) => file.attempt === 2));
  assert.ok(
    result.files.every((file) => file.status === 'created'),
    'a rewrite by a later attempt keeps "created"',
  );
  const names = await listAll(path.join(root, 'retried'));
  assert.ok(!names.some((name) => name.endsWith('.tmp')), `no temp file left: ${names.join(', ')}`);
});

test('files only the broken attempt wrote stay on disk and keep attempt 1', async () => {
  const full = fileReply({ files: 6, lines: 20 });
  const shorter = fileReply({ files: 1, lines: 20 });
  simulator.enqueue({ content: full, fault: 'disconnect-mid-stream' }, { content: shorter });
  const result = await generateFiles(config(), { prompt: 'x', outputDir: 'kept' }, { retryDelayMs: 1 });
  assert.equal(result.attempts, 2);
  const byPath = new Map(result.files.map((file) => [file.path, file.attempt]));
  assert.equal(byPath.get('src/module-01.ts'), 2);
  assert.ok(result.files.length > 1, 'files completed before the break are still reported');
  assert.ok(
    [...byPath.entries()].filter(([p]) => p !== 'src/module-01.ts').every(([, attempt]) => attempt === 1),
  );
});

test('a stream that keeps breaking fails after the bounded retries', async () => {
  const content = fileReply({ files: 4 });
  simulator.enqueue(
    { content, fault: 'disconnect-mid-stream' },
    { content, fault: 'disconnect-mid-stream' },
    { content, fault: 'disconnect-mid-stream' },
  );
  const before = simulator.requests.length;
  await assert.rejects(
    generateFiles(config(), { prompt: 'x', outputDir: 'broken' }, { retryDelayMs: 1 }),
    (error) => isSpeedRunError(error) && error.retryable,
  );
  assert.equal(simulator.requests.length - before, 3);
});

test('a truncated reply is continued: the follow-up names the finished files and asks for the cut one', async () => {
  simulator.enqueue(
    {
      content: '<FILE path="whole.ts">\nexport const a = 1;\n</FILE>\n<FILE path="cut.ts">\nexport const b',
      finishReason: 'length',
      reasoning: 'plan',
      reportReasoningTokens: true,
    },
    {
      content:
        '<FILE path="cut.ts">\nexport const b = 2;\n</FILE>\n<FILE path="last.ts">\nexport {};\n</FILE>\n',
    },
  );
  const before = simulator.requests.length;
  const result = await generateFiles(config(), {
    prompt: 'Write whole.ts, cut.ts and last.ts.',
    outputDir: 'continued',
  });
  assert.equal(simulator.requests.length - before, 2);
  assert.equal(result.truncated, false);
  assert.equal(result.continuations, 1);
  assert.equal(result.finishReason, 'stop');
  assert.deepEqual(await listAll(path.join(root, 'continued')), ['cut.ts', 'last.ts', 'whole.ts']);
  assert.equal(await readFile(path.join(root, 'continued', 'cut.ts'), 'utf8'), 'export const b = 2;\n');
  const followUp = (simulator.requests.at(-1)?.body as { messages: { content: string }[] }).messages.at(
    -1,
  )!.content;
  assert.match(followUp, /Write whole\.ts, cut\.ts and last\.ts\./);
  assert.match(followUp, /complete and already on disk; do not write them again: whole\.ts\./);
  assert.match(followUp, /cut off and were not saved; write each again in full: cut\.ts\./);
  // Usage adds up over both calls; the first reported its reasoning tokens.
  assert.ok(result.usage && result.usage.reasoningTokens === 1);
});

test('a reply still cut short after the bounded continuations is truncated', async () => {
  const cut = {
    content: '<FILE path="whole.ts">\nexport const a = 1;\n</FILE>\n<FILE path="cut.ts">\nexport const b',
    finishReason: 'length' as const,
  };
  simulator.enqueue(cut, cut, cut);
  const before = simulator.requests.length;
  const result = await generateFiles(config(), { prompt: 'x', outputDir: 'truncated' });
  assert.equal(simulator.requests.length - before, 3, 'the first call and two continuations');
  assert.equal(result.continuations, 2);
  assert.equal(result.truncated, true);
  assert.equal(result.finishReason, 'length');
  assert.deepEqual(
    result.files.map((file) => file.path),
    ['whole.ts'],
  );
  assert.equal(result.unclosed[0]?.path, 'cut.ts');
  assert.deepEqual(await listAll(path.join(root, 'truncated')), ['whole.ts']);
});

test('paths that escape the output directory are rejected, the rest written', async () => {
  simulator.enqueue({
    content:
      '<FILE path="../escape.ts">\nbad\n</FILE>\n<FILE path="/etc/abs.ts">\nbad\n</FILE>\n<FILE path="ok.ts">\ngood\n</FILE>\n',
  });
  const result = await generateFiles(config(), { prompt: 'x', outputDir: 'traversal' });
  assert.deepEqual(
    result.files.map((file) => file.path),
    ['ok.ts'],
  );
  assert.deepEqual(
    result.rejected.map((file) => file.path),
    ['../escape.ts', '/etc/abs.ts'],
  );
  await assert.rejects(readFile(path.join(root, 'escape.ts')));
});

test('no key: a config error with setup steps, and no request is made', async () => {
  const before = simulator.requests.length;
  await assert.rejects(
    generateFiles(config({ SPEED_RUN_API_KEY: '' }), { prompt: 'x', outputDir: 'nokey' }),
    (error) =>
      isSpeedRunError(error) && error.kind === 'config' && /SPEED_RUN_API_KEY/.test(error.userMessage),
  );
  assert.equal(simulator.requests.length, before);
});

test('an output directory outside the allowed roots is refused; extra roots widen them', async () => {
  const elsewhere = await realpath(await mkdtemp(path.join(tmpdir(), 'speed-run-elsewhere-')));
  try {
    await assert.rejects(
      generateFiles(config(), { prompt: 'x', outputDir: path.join(elsewhere, 'out') }),
      (error) => isSpeedRunError(error) && error.kind === 'path_rejected',
    );
    simulator.enqueue({ content: '<FILE path="a.ts">\nexport {};\n</FILE>\n' });
    const result = await generateFiles(config(), {
      prompt: 'x',
      outputDir: path.join(elsewhere, 'out'),
      extraRoots: [elsewhere],
    });
    assert.equal(result.files.length, 1);
  } finally {
    await rm(elsewhere, { recursive: true, force: true });
  }
});

test('an aborted generation is not retried', async () => {
  const controller = new AbortController();
  simulator.enqueue({ content: fileReply({ files: 4 }), fault: 'hang-mid-stream' });
  const before = simulator.requests.length;
  setTimeout(() => controller.abort(new Error('caller gave up')), 200);
  await assert.rejects(
    generateFiles(
      config(),
      { prompt: 'x', outputDir: 'aborted', signal: controller.signal },
      { retryDelayMs: 1 },
    ),
  );
  assert.equal(simulator.requests.length - before, 1);
});

test('a 4xx error object mid-stream is made once and the error lists the files already on disk', async () => {
  simulator.enqueue({
    content: fileReply({ files: 4 }),
    midStreamError: {
      error: { code: 400, message: 'Invalid request: content policy' },
      finishReasonBefore: 'length',
    },
  });
  const before = simulator.requests.length;
  const error = await generateFiles(
    config(),
    { prompt: 'x', outputDir: 'refused' },
    { retryDelayMs: 1 },
  ).then(
    () => assert.fail('expected an error'),
    (e: unknown) => e,
  );
  assert.equal(simulator.requests.length - before, 1, 'a deterministic error is not asked for again');
  assert.ok(error instanceof GenerationError);
  assert.equal(error.kind, 'provider');
  assert.equal(error.retryable, false);
  assert.match(error.message, /error 400 mid-stream after finish_reason "length"/);
  assert.match(error.message, /content policy/);
  const onDisk = await listAll(path.join(root, 'refused', 'src'));
  assert.ok(onDisk.length >= 1);
  assert.deepEqual(
    error.files.map((file) => file.path),
    onDisk.map((name) => `src/${name}`),
  );
  assert.match(error.message, new RegExp(`Already written to .*refused: src/module-01.ts`));
});

test('an overload error object mid-stream is retried like a broken stream', async () => {
  const content = fileReply({ files: 2 });
  simulator.enqueue(
    { content, midStreamError: { error: { code: 503, message: 'overloaded' } } },
    { content },
  );
  const result = await generateFiles(config(), { prompt: 'x', outputDir: 'overloaded' }, { retryDelayMs: 1 });
  assert.equal(result.attempts, 2);
  assert.equal(result.files.length, 2);
});

test('a stream without finish_reason or usage is complete: written once, usage null', async () => {
  simulator.enqueue({ content: fileReply({ files: 2 }), finishReason: null, usage: 'none' });
  const before = simulator.requests.length;
  const result = await generateFiles(config(), { prompt: 'x', outputDir: 'bare' });
  assert.equal(simulator.requests.length - before, 1);
  assert.equal(result.finishReason, null);
  assert.equal(result.truncated, false);
  assert.equal(result.usage, null);
  assert.equal(result.files.length, 2);
});

test('a file cut off earlier stays unfinished when the continuations never write it', async () => {
  simulator.enqueue(
    {
      content: '<FILE path="whole.ts">\nexport {};\n</FILE>\n<FILE path="cut.ts">\nexport',
      finishReason: 'length',
    },
    { content: 'Nothing more to add.' },
    { content: 'Still nothing.' },
  );
  const result = await generateFiles(config(), { prompt: 'x', outputDir: 'never-finished' });
  assert.equal(result.continuations, 2);
  assert.equal(result.truncated, true);
  assert.equal(result.finishReason, 'stop');
  assert.deepEqual(
    result.unclosed.map((file) => file.path),
    ['cut.ts'],
  );
});
