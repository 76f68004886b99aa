import assert from 'node:assert/strict';
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { generateFiles } from '../../src/codegen/generate-files.js';
import { generationReport } from '../../src/codegen/generation-report.js';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { isSpeedRunError } from '../../src/errors.js';
import { fileReply } from '../support/file-reply.js';
import { startSimulator, type Simulator } from '../support/openai-simulator.js';

let primary: Simulator;
let backup: Simulator;
let root: string;
let userConfig: string;

before(async () => {
  primary = await startSimulator({ firstTokenDelayMs: 1 });
  backup = await startSimulator({ apiKey: 'backup-key-0123456789', firstTokenDelayMs: 1 });
  backup.respond = () => ({ content: fileReply({ files: 2, lines: 5 }) });
  root = await realpath(await mkdtemp(path.join(tmpdir(), 'speed-run-fallback-')));
  userConfig = path.join(root, 'user-config.json');
  await writeFile(
    userConfig,
    JSON.stringify({
      providers: { backup: { baseUrl: backup.baseUrl, apiKeyEnv: 'BACKUP_KEY', model: 'llama-3.3-70b' } },
      fallback: ['backup'],
    }),
  );
});
after(async () => {
  await Promise.all([primary.close(), backup.close()]);
  await rm(root, { recursive: true, force: true });
});

const config = () =>
  resolveConfig({
    env: {
      SPEED_RUN_BASE_URL: primary.baseUrl,
      SPEED_RUN_API_KEY: primary.apiKey,
      SPEED_RUN_MODEL: 'gpt-oss-120b',
      SPEED_RUN_MAX_RETRIES: '0',
      SPEED_RUN_CONFIG: userConfig,
      BACKUP_KEY: backup.apiKey,
    },
    cwd: root,
  });

test('an outage at the primary is served by the fallback, and the result says which and why', async () => {
  primary.respond = () => ({ status: 503 });
  const result = await generateFiles(config(), { prompt: 'Write src/module-01.ts', outputDir: 'served' });
  assert.equal(result.files.length, 2);
  assert.equal(result.model, 'llama-3.3-70b');
  assert.equal(result.fallback?.provider, 'backup');
  assert.equal(result.fallback?.model, 'llama-3.3-70b');
  assert.match(result.fallback?.reason ?? '', /openai-compatible \(gpt-oss-120b\) failed: .*503/);
  assert.match(generationReport(result, 10).fallback ?? '', /^backup \(llama-3\.3-70b\): .*503/);
  // Each key went only to its own endpoint.
  const backupChat = backup.requests.filter((r) => r.path === '/v1/chat/completions');
  assert.equal(backupChat.length, 1);
  assert.equal(backupChat[0]?.headers.authorization, `Bearer ${backup.apiKey}`);
  assert.equal(backupChat[0]?.body.model, 'llama-3.3-70b');
  assert.ok(!JSON.stringify(backup.requests).includes(primary.apiKey));
});

test('a request the primary refuses (4xx) does not fall back', async () => {
  primary.respond = () => ({ status: 400 });
  const before = backup.requests.length;
  await assert.rejects(
    generateFiles(config(), { prompt: 'x', outputDir: 'refused' }),
    (error) => isSpeedRunError(error) && error.statusCode === 400,
  );
  assert.equal(backup.requests.length, before);
});

test('a fallback list in a project file is refused: only the user decides where requests go', async () => {
  const project = await mkdtemp(path.join(root, 'project-'));
  await writeFile(path.join(project, 'speed-run.config.json'), JSON.stringify({ fallback: ['backup'] }));
  assert.throws(
    () => resolveConfig({ env: { HOME: root }, cwd: project }),
    (error) =>
      isSpeedRunError(error) && error.kind === 'config' && /SPEED_RUN_FALLBACK/.test(error.userMessage),
  );
});

test('a fallback that names no configured provider is a config error naming it', () => {
  assert.throws(
    () => resolveConfig({ env: { SPEED_RUN_FALLBACK: 'nowhere', HOME: root }, cwd: root }),
    (error) => isSpeedRunError(error) && error.field === 'fallback' && /"nowhere"/.test(error.message),
  );
});
