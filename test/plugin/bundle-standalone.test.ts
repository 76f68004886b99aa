// The plugin runs from Claude Code's plugin cache: a copy of plugin/ with no node_modules and no package.json
// anywhere above it. Copy it the same way and start the bundle from there.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { BUNDLE_ENTRY, PLUGIN_DIR, REPO_ROOT, readJson } from './plugin-files.js';

const sandbox = mkdtempSync(join(tmpdir(), 'speed-run-plugin-cache-'));
after(() => rmSync(sandbox, { recursive: true, force: true }));
const pluginCopy = join(sandbox, 'speed-run');
cpSync(PLUGIN_DIR, pluginCopy, { recursive: true });
const project = join(sandbox, 'project');
mkdirSync(project);
const bundle = join(pluginCopy, BUNDLE_ENTRY);
const { version } = readJson(join(REPO_ROOT, 'package.json')) as { version: string };

function node(args: string[]) {
  const result = spawnSync(process.execPath, args, {
    cwd: project,
    env: getDefaultEnvironment(),
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function connect(env: Record<string, string> = {}): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [bundle, 'mcp'],
    cwd: project,
    env: { ...getDefaultEnvironment(), ...env },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'speed-run-plugin-test', version: '0.0.0' });
  await client.connect(transport);
  return client;
}

test('--version prints the package version without a package.json to read', () => {
  const result = node([bundle, '--version']);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout.trim(), version);
});

test('the MCP server initializes and lists its tools with no node_modules', async (t) => {
  const client = await connect();
  t.after(() => client.close());
  assert.equal(client.getServerVersion()?.name, 'hosted-llm-codegen');
  const { tools } = await client.listTools();
  const names = tools.map((tool) => tool.name);
  assert.ok(names.includes('check_status') && names.includes('generate_and_write_files'), names.join(', '));
});

test('an unexpanded ${user_config.api_key} placeholder is no key: check_status explains the setup', async (t) => {
  const client = await connect({ SPEED_RUN_API_KEY: '${user_config.api_key}' });
  t.after(() => client.close());
  const result = await client.callTool({ name: 'check_status', arguments: {} });
  const report = result.structuredContent as { status: string; error_kind?: string; setup_hint?: string };
  assert.equal(report.status, 'error');
  assert.equal(report.error_kind, 'no_key');
  assert.match(report.setup_hint ?? '', /CEREBRAS_API_KEY/);
});

test('typescript, split into its own chunk for race judging, loads from the copy', () => {
  const chunks = readdirSync(join(pluginCopy, 'dist/chunks')).filter((name) =>
    name.startsWith('typescript-'),
  );
  assert.equal(chunks.length, 1, `one typescript chunk expected, found: ${chunks.join(', ') || 'none'}`);
  const chunk = join(pluginCopy, 'dist/chunks', chunks[0] ?? '');
  const script =
    'const ts = (await import(process.argv[1])).default;' +
    "process.stdout.write(typeof ts.createSourceFile === 'function' ? ts.version : 'no compiler API');";
  const result = node(['--input-type=module', '-e', script, pathToFileURL(chunk).href]);
  assert.equal(result.status, 0, result.stderr);
  const expected = readJson(join(REPO_ROOT, 'node_modules/typescript/package.json')) as { version: string };
  assert.equal(result.stdout, expected.version);
});
