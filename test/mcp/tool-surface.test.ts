// The tool surface a client sends the model on every turn: names, descriptions, input schemas, and their size.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Tool } from '@modelcontextprotocol/client';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { connectInProcess, type InProcessMcp } from '../support/in-process-mcp.js';
import {
  TOOL_DEFINITIONS_BUDGET_BYTES,
  describeFootprint,
  toolFootprint,
} from '../support/tool-footprint.js';

let mcp: InProcessMcp;
let tools: Tool[];
before(async () => {
  mcp = await connectInProcess(
    resolveConfig({ env: { SPEED_RUN_API_KEY: 'sk-never-used-1234567890' }, cwd: process.cwd() }),
  );
  tools = (await mcp.client.listTools()).tools;
});
after(async () => mcp.close());

type JsonSchema = { properties?: Record<string, { description?: string }>; required?: string[] };

const TOOLS = ['check_status', 'generate_and_write_files', 'race', 'race_step'];

const tool = (name: string) => tools.find((candidate) => candidate.name === name);

test('every tool definition together stays within the budget, measured as a client sends them', (t) => {
  const footprint = toolFootprint(tools);
  t.diagnostic(describeFootprint(footprint));
  assert.ok(
    footprint.total <= TOOL_DEFINITIONS_BUDGET_BYTES,
    `the tools take ${footprint.total} bytes: ${describeFootprint(footprint)}`,
  );
  const raw = JSON.stringify(tools.map((listed) => listed.inputSchema));
  assert.equal(raw.includes('$schema'), false, 'no dialect URL in the input schemas');
  assert.equal(raw.includes('9007199254740991'), false, 'no safe-integer bounds');
});

test('every description is a sentence; an argument is described only when its name does not say it all', () => {
  for (const listed of tools) {
    assert.ok(listed.description && listed.description.length <= 160, `${listed.name} description`);
    assert.ok(listed.outputSchema, `${listed.name} declares an output schema`);
    for (const [field, schema] of Object.entries((listed.inputSchema as JsonSchema).properties ?? {})) {
      assert.ok((schema.description ?? '').length <= 80, `${listed.name}.${field} description`);
    }
  }
});

test('the tools: arguments, required fields, annotations', () => {
  assert.equal(mcp.client.getServerVersion()?.name, 'hosted-llm-codegen');
  assert.deepEqual(tools.map((listed) => listed.name).sort(), TOOLS);
  const write = tool('generate_and_write_files')!;
  assert.deepEqual((write.inputSchema as JsonSchema).required, ['output_dir']);
  assert.deepEqual(Object.keys((write.inputSchema as JsonSchema).properties ?? {}).sort(), [
    'allow_elided',
    'allow_secret_context',
    'context_files',
    'contract_file',
    'max_tokens',
    'model',
    'output_dir',
    'prompt',
    'repair_rounds',
    'system_prompt',
    'temperature',
    'test_command',
    'test_cwd',
  ]);
  assert.equal(write.annotations?.destructiveHint, true);
  assert.equal(write.annotations?.readOnlyHint, false);
  const status = tool('check_status')!;
  assert.equal(status.annotations?.readOnlyHint, true);
  assert.deepEqual(Object.keys((status.inputSchema as JsonSchema).properties ?? {}), ['live']);
  assert.equal((status.inputSchema as JsonSchema).required, undefined);
  const race = tool('race')!;
  assert.deepEqual((race.inputSchema as JsonSchema).required, ['feature']);
  assert.deepEqual(Object.keys((race.inputSchema as JsonSchema).properties ?? {}).sort(), [
    'approaches',
    'contract',
    'contract_file',
    'feature',
    'models',
    'output_subdir',
    'repair_rounds',
    'replace',
    'repo_dir',
    'runners',
    'setup_command',
    'test_command',
    'timeout_s',
    'variation',
  ]);
  assert.equal(race.annotations?.destructiveHint, true, 'it runs commands');
  const step = tool('race_step')!;
  assert.deepEqual((step.inputSchema as JsonSchema).required, ['step', 'feature']);
  assert.deepEqual(Object.keys((step.inputSchema as JsonSchema).properties ?? {}).sort(), [
    'feature',
    'force',
    'keep_branch',
    'mode',
    'repo_dir',
    'runner',
    'step',
  ]);
});

test('invalid arguments are a tool error naming the field', async () => {
  const call = (name: string, args: Record<string, unknown>) =>
    mcp.client.callTool({ name, arguments: args });
  const wrongType = await call('generate_and_write_files', { prompt: 'x', output_dir: 5 });
  assert.equal(wrongType.isError, true);
  assert.match(JSON.stringify(wrongType.content), /output_dir/);

  const missing = await call('generate_and_write_files', { output_dir: 'out' });
  assert.equal(missing.isError, true);
  assert.match(JSON.stringify(missing.content), /prompt or as contract_file/);

  const empty = await call('generate_and_write_files', { prompt: '', output_dir: 'out' });
  assert.equal(empty.isError, true, 'minLength is enforced though the listed schema leaves it out');
  assert.match(JSON.stringify(empty.content), /prompt/);

  const badTokens = await call('generate_and_write_files', { prompt: 'x', output_dir: 'o', max_tokens: -3 });
  assert.equal(badTokens.isError, true, 'bounds left out of the listing are still enforced');
  assert.match(JSON.stringify(badTokens.content), /max_tokens/);
  const fraction = await call('generate_and_write_files', { prompt: 'x', output_dir: 'o', max_tokens: 1.5 });
  assert.equal(fraction.isError, true);
  assert.match(JSON.stringify(fraction.content), /max_tokens/);

  const neither = await call('race', { feature: 'f', contract: 'c' });
  assert.equal(neither.isError, true);
  assert.match(JSON.stringify(neither.content), /runners \(race\) or approaches \(any-percent\)/);
  const noRunner = await call('race_step', { step: 'finish', feature: 'f' });
  assert.equal(noRunner.isError, true);
  assert.match(JSON.stringify(noRunner.content), /step \\"finish\\" needs runner/);
});

test('no key: generate_and_write_files is a tool error with the setup steps', async () => {
  const keyless = await connectInProcess(resolveConfig({ env: {}, cwd: process.cwd() }));
  try {
    const result = await keyless.client.callTool({
      name: 'generate_and_write_files',
      arguments: { prompt: 'x', output_dir: 'out' },
    });
    assert.equal(result.isError, true);
    const text = (result.content as { text: string }[])[0]?.text ?? '';
    assert.match(text, /^config: No API key/);
    assert.match(text, /SPEED_RUN_API_KEY/);
  } finally {
    await keyless.close();
  }
});
