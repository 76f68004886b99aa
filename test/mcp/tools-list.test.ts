import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startMcpProcess, type McpProcess } from '../support/mcp-process.js';

let mcp: McpProcess;
before(async () => {
  mcp = await startMcpProcess({ env: { SPEED_RUN_API_KEY: 'sk-never-used-1234567890' } });
});
after(async () => mcp.close());

type JsonSchema = { properties?: Record<string, { description?: string }>; required?: string[] };

const CODEGEN_TOOLS = ['check_status', 'generate', 'generate_and_write_files'];

/** The codegen tools; the race tools are tested with the race engine. */
async function codegenTools() {
  const { tools } = await mcp.client.listTools();
  return tools.filter((tool) => CODEGEN_TOOLS.includes(tool.name));
}

test('the server is hosted-llm-codegen and lists the codegen tools', async () => {
  assert.equal(mcp.client.getServerVersion()?.name, 'hosted-llm-codegen');
  assert.deepEqual((await codegenTools()).map((tool) => tool.name).sort(), CODEGEN_TOOLS);
});

test('every input field and tool has a short description; schemas name the required fields', async () => {
  const tools = await codegenTools();
  for (const tool of tools) {
    assert.ok(tool.description && tool.description.length <= 300, `${tool.name} description`);
    assert.ok(tool.outputSchema, `${tool.name} declares an output schema`);
    const input = tool.inputSchema as JsonSchema;
    for (const [field, schema] of Object.entries(input.properties ?? {})) {
      assert.ok(schema.description && schema.description.length <= 160, `${tool.name}.${field} description`);
    }
  }
  const write = tools.find((tool) => tool.name === 'generate_and_write_files');
  assert.deepEqual((write?.inputSchema as JsonSchema).required?.sort(), ['output_dir', 'prompt']);
  assert.deepEqual(Object.keys((write?.inputSchema as JsonSchema).properties ?? {}).sort(), [
    'allow_secret_context',
    'context_files',
    'max_tokens',
    'model',
    'output_dir',
    'prompt',
    'system_prompt',
    'temperature',
  ]);
  assert.equal(write?.annotations?.destructiveHint, true);
  assert.equal(write?.annotations?.readOnlyHint, false);
  const status = tools.find((tool) => tool.name === 'check_status');
  assert.equal(status?.annotations?.readOnlyHint, true);
  const generate = tools.find((tool) => tool.name === 'generate');
  assert.deepEqual((generate?.inputSchema as JsonSchema).required, ['prompt']);
});

test('the codegen tool definitions stay small (they are sent to the model every turn)', async () => {
  const tools = await codegenTools();
  assert.ok(
    JSON.stringify(tools).length < 8_000,
    `the three tools take ${JSON.stringify(tools).length} bytes`,
  );
});

test('invalid arguments are a tool error naming the field', async () => {
  const wrongType = await mcp.client.callTool({
    name: 'generate_and_write_files',
    arguments: { prompt: 'x', output_dir: 5 },
  });
  assert.equal(wrongType.isError, true);
  assert.match(JSON.stringify(wrongType.content), /output_dir/);

  const missing = await mcp.client.callTool({
    name: 'generate_and_write_files',
    arguments: { output_dir: 'out' },
  });
  assert.equal(missing.isError, true);
  assert.match(JSON.stringify(missing.content), /prompt/);

  const badTokens = await mcp.client.callTool({
    name: 'generate',
    arguments: { prompt: 'x', max_tokens: -3 },
  });
  assert.equal(badTokens.isError, true);
  assert.match(JSON.stringify(badTokens.content), /max_tokens/);
});
