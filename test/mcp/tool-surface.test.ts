// The tool surface a client sends the model on every turn: names, descriptions, input schemas, and their size.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Tool } from '@modelcontextprotocol/client';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { connectInProcess, type InProcessMcp } from '../support/in-process-mcp.js';
import { definitionBytes, describeFootprint, toolFootprint } from '../support/tool-footprint.js';

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

const CODEGEN_TOOLS = ['check_status', 'generate', 'generate_and_write_files'];
/**
 * Until the race tools are consolidated, the codegen tools keep to their share of the 2,600-byte budget. The
 * share holds the four bare edit/repair arguments (allow_elided, test_command, test_cwd, repair_rounds: ~130 B).
 */
const CODEGEN_BUDGET_BYTES = 1_500;

const tool = (name: string) => tools.find((candidate) => candidate.name === name);

test('the tool definitions, measured as a client sends them', (t) => {
  const footprint = toolFootprint(tools);
  t.diagnostic(describeFootprint(footprint));
  const codegen = CODEGEN_TOOLS.reduce((sum, name) => sum + definitionBytes(tool(name)!), 0);
  assert.ok(codegen <= CODEGEN_BUDGET_BYTES, `codegen tools take ${codegen} bytes`);
  const raw = JSON.stringify(CODEGEN_TOOLS.map((name) => tool(name)!.inputSchema));
  assert.equal(raw.includes('$schema'), false, 'no dialect URL in the input schemas');
  assert.equal(raw.includes('9007199254740991'), false, 'no safe-integer bounds');
});

test('every description is a sentence; an argument is described only when its name does not say it all', () => {
  for (const listed of CODEGEN_TOOLS.map((name) => tool(name)!)) {
    assert.ok(listed.description && listed.description.length <= 160, `${listed.name} description`);
    assert.ok(listed.outputSchema, `${listed.name} declares an output schema`);
    for (const [field, schema] of Object.entries((listed.inputSchema as JsonSchema).properties ?? {})) {
      assert.ok((schema.description ?? '').length <= 80, `${listed.name}.${field} description`);
    }
  }
});

test('the codegen tools: arguments, required fields, annotations', () => {
  assert.equal(mcp.client.getServerVersion()?.name, 'hosted-llm-codegen');
  for (const name of CODEGEN_TOOLS) assert.ok(tool(name), `${name} is listed`);
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
  assert.equal(tool('check_status')?.annotations?.readOnlyHint, true);
  assert.deepEqual((tool('generate')?.inputSchema as JsonSchema).required, ['prompt']);
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

  const badTokens = await call('generate', { prompt: 'x', max_tokens: -3 });
  assert.equal(badTokens.isError, true);
  assert.match(JSON.stringify(badTokens.content), /max_tokens/);
  const fraction = await call('generate', { prompt: 'x', max_tokens: 1.5 });
  assert.equal(fraction.isError, true);
  assert.match(JSON.stringify(fraction.content), /max_tokens/);
});
