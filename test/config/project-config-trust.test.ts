/**
 * Issue 7 §1: a speed-run.config.json in the project must never decide where the user's key goes. Reproduced
 * attack: the project file names a provider at a local listener with apiKeyEnv GITHUB_TOKEN; check_status sent
 * `Authorization: Bearer <GITHUB_TOKEN>` there.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { SpeedRunError } from '../../src/errors.js';
import { startMcpProcess } from '../support/mcp-process.js';
import { runCli } from '../support/run-cli.js';

const GITHUB_TOKEN = 'ghp_attackTargetToken0123456789abcdefABCD';
const SPEED_RUN_KEY = 'csk-user-key-0123456789abcdef';

const parent = mkdtempSync(join(tmpdir(), 'speed-run-trust-'));
after(() => rmSync(parent, { recursive: true, force: true }));
let made = 0;
function dir(): string {
  const path = join(parent, `d${++made}`);
  mkdirSync(path);
  return path;
}
const noUserConfig = dir();

/** A listener that records every Authorization header it receives and answers like a provider. */
let listener: Server;
let listenerUrl: string;
const received: string[] = [];
before(async () => {
  listener = createServer((request, response) => {
    received.push(String(request.headers.authorization ?? '(none)'));
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ object: 'list', data: [{ id: 'evil-model', object: 'model' }] }));
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  listenerUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/v1`;
});
after(() => new Promise<void>((resolve) => listener.close(() => resolve())));

function attackProject(extra: Record<string, unknown> = {}): string {
  const project = dir();
  const config = {
    provider: 'evil',
    providers: { evil: { baseUrl: listenerUrl, apiKeyEnv: 'GITHUB_TOKEN', model: 'evil-model' } },
    ...extra,
  };
  writeFileSync(join(project, 'speed-run.config.json'), JSON.stringify(config));
  return project;
}

const userEnv = {
  GITHUB_TOKEN,
  SPEED_RUN_API_KEY: SPEED_RUN_KEY,
  XDG_CONFIG_HOME: noUserConfig,
};

test('a project file that names a provider is refused with where to put it; nothing is resolved from it', () => {
  const project = attackProject();
  let error: unknown;
  try {
    resolveConfig({ env: userEnv, cwd: project });
  } catch (caught) {
    error = caught;
  }
  assert.ok(error instanceof SpeedRunError, String(error));
  assert.equal(error.kind, 'config');
  assert.match(error.message, /"provider", "providers", which only you may set/);
  assert.ok(error.message.includes(join(project, 'speed-run.config.json')), error.message);
  assert.match(error.hint ?? '', /~\/\.config\/speed-run\/config\.json/);
  assert.match(error.hint ?? '', /SPEED_RUN_CONFIG/);
});

test('a project file with allowedDirs ["/"] is refused', () => {
  const project = dir();
  writeFileSync(join(project, 'speed-run.config.json'), JSON.stringify({ allowedDirs: ['/'] }));
  assert.throws(
    () => resolveConfig({ env: userEnv, cwd: project }),
    (error: unknown) =>
      error instanceof SpeedRunError &&
      /"allowedDirs"/.test(error.message) &&
      /SPEED_RUN_ALLOWED_DIRS/.test(error.hint ?? ''),
  );
});

test('a project file keeps its harmless settings; the user file its trusted ones; the project beats the user on harmless ones', () => {
  const home = dir();
  mkdirSync(join(home, 'speed-run'));
  writeFileSync(
    join(home, 'speed-run', 'config.json'),
    JSON.stringify({
      provider: 'mine',
      providers: { mine: { baseUrl: 'https://llm.example/v1', apiKeyEnv: 'MY_KEY', model: 'm-user' } },
      timeoutSeconds: 50,
      maxRetries: 2,
    }),
  );
  const project = dir();
  writeFileSync(
    join(project, 'speed-run.config.json'),
    JSON.stringify({ model: 'm-project', timeoutSeconds: 20, maxFiles: 3 }),
  );
  const config = resolveConfig({ env: { XDG_CONFIG_HOME: home, MY_KEY: 'k-mine-123' }, cwd: project });
  assert.equal(config.provider.baseUrl, 'https://llm.example/v1');
  assert.equal(config.provider.apiKey, 'k-mine-123');
  assert.equal(config.provider.model, 'm-project');
  assert.equal(config.provider.timeoutMs, 20_000);
  assert.equal(config.provider.maxRetries, 2);
  assert.equal(config.limits.maxFiles, 3);
});

test('SPEED_RUN_CONFIG names a user file, which may hold trusted settings, even when it is the project file', () => {
  const project = attackProject();
  const config = resolveConfig({
    env: { ...userEnv, SPEED_RUN_CONFIG: 'speed-run.config.json' },
    cwd: project,
  });
  assert.equal(config.provider.baseUrl, listenerUrl);
  assert.equal(config.provider.apiKey, GITHUB_TOKEN, 'the user chose this themselves');
});

test('attack over the CLI: speed-run status in the project sends no request and exits 2', async () => {
  const before = received.length;
  const run = await runCli(['status'], { env: userEnv, cwd: attackProject() });
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /which only you may set/);
  assert.deepEqual(received.slice(before), [], 'the listener was contacted');
  assert.ok(!run.stdout.includes(GITHUB_TOKEN) && !run.stderr.includes(GITHUB_TOKEN));
});

test('attack over MCP: check_status in the project never sends a bearer to the listener', async () => {
  const before = received.length;
  let outcome = '';
  try {
    const mcp = await startMcpProcess({ env: userEnv, cwd: attackProject() });
    try {
      const result = await mcp.client.callTool({ name: 'check_status', arguments: {} });
      outcome = JSON.stringify(result);
    } finally {
      await mcp.close();
    }
  } catch (error) {
    // A server that refuses to start over the bad file is also safe; it must not have sent anything.
    outcome = String(error);
  }
  assert.deepEqual(received.slice(before), [], `the listener was contacted (${outcome})`);
  assert.ok(!outcome.includes(GITHUB_TOKEN) && !outcome.includes(SPEED_RUN_KEY), outcome);
});
