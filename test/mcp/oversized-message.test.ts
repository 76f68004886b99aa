/**
 * Issue 7 §5: a JSON-RPC message over 10 MiB made the SDK's read buffer throw, and the server stayed alive without
 * ever answering again. Now it is skipped and answered with an error, and the server goes on answering.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { BoundedLines, MAX_MESSAGE_BYTES, requestId } from '../../src/mcp/bounded-lines.js';
import { BUILT_CLI, startMcpProcess, type McpProcess } from '../support/mcp-process.js';

let cwd: string;
let mcp: McpProcess;
before(async () => {
  cwd = await mkdtemp(path.join(tmpdir(), 'speed-run-oversized-'));
  mcp = await startMcpProcess({ cwd, env: { XDG_CONFIG_HOME: cwd } });
});
after(async () => {
  await mcp.close();
  await rm(cwd, { recursive: true, force: true });
});

test('an 11 MiB tool call is answered with an error naming the limit, and the server keeps answering', async () => {
  const huge = 'x'.repeat(11 * 1024 * 1024);
  const started = Date.now();
  await assert.rejects(
    mcp.client.callTool({ name: 'generate_and_write_files', arguments: { prompt: huge, output_dir: 'o' } }),
    (error: unknown) => /over the server's limit of 10485760 bytes/.test(String(error)),
  );
  assert.ok(Date.now() - started < 30_000);
  const tools = await mcp.client.listTools();
  assert.ok(tools.tools.some((tool) => tool.name === 'check_status'));
  assert.match(mcp.stderr(), /refused a \d+-byte message \(limit 10485760 bytes\) for request \d+/);
});

test('raw stdio: an oversized line without an id is skipped; the next request is answered', async () => {
  const child = spawn(process.execPath, [BUILT_CLI, 'mcp'], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, XDG_CONFIG_HOME: cwd },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  try {
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    const line = (message: unknown) => `${JSON.stringify(message)}\n`;
    child.stdin.write(
      line({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '0' } },
      }),
    );
    child.stdin.write(line({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    // 12 MiB of garbage in several writes, then a newline.
    for (let i = 0; i < 12; i++) child.stdin.write('y'.repeat(1024 * 1024));
    child.stdin.write('\n');
    child.stdin.write(line({ jsonrpc: '2.0', id: 2, method: 'tools/list' }));
    const deadline = Date.now() + 30_000;
    while (!stdout.includes('"id":2') && Date.now() < deadline && child.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const answers = stdout
      .split('\n')
      .filter(Boolean)
      .map((text) => JSON.parse(text) as { id?: number; result?: { tools?: unknown[] } });
    const listed = answers.find((answer) => answer.id === 2);
    assert.ok(Array.isArray(listed?.result?.tools), `no tools/list answer (${answers.length} answers)`);
    assert.equal(child.exitCode, null, 'still running');
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('close', resolve));
  }
});

test('BoundedLines: whole lines through, an oversized one reported with its id, split at any chunk size', async () => {
  const messages = [
    '{"jsonrpc":"2.0","id":1,"method":"a"}',
    `{"method":"tools/call","params":{"p":"${'z'.repeat(300)}","id":99},"jsonrpc":"2.0","id":"abc"}`,
    '{"jsonrpc":"2.0","method":"n"}',
  ];
  const input = `${messages.join('\n')}\n`;
  for (const size of [1, 7, 64, input.length]) {
    const reports: unknown[] = [];
    const lines = new BoundedLines(200, (report) => reports.push(report));
    let out = '';
    lines.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    for (let i = 0; i < input.length; i += size) lines.write(input.slice(i, i + size));
    lines.end();
    await new Promise((resolve) => lines.once('end', resolve));
    assert.equal(out, `${messages[0]}\n${messages[2]}\n`, `chunk size ${size}`);
    assert.deepEqual(reports, [{ bytes: Buffer.byteLength(messages[1]!), id: 'abc' }]);
  }
  assert.equal(MAX_MESSAGE_BYTES, 10 * 1024 * 1024);
  assert.equal(requestId('{"jsonrpc":"2.0","id":7,"method":"x","params":{"a":', ''), 7);
  assert.equal(requestId('{"params":{"id":3', '"x"}}'), null, 'a nested id is not the request id');
});
