/**
 * What a client sends the model for our tools: each tool's name, description and input schema as compact JSON.
 * Claude Code sends exactly these three; output schemas stay on the client side, so they are measured apart.
 */
import type { Tool } from '@modelcontextprotocol/client';

/** The budget for every tool definition together (issue 12). */
export const TOOL_DEFINITIONS_BUDGET_BYTES = 2_600;

export function definitionBytes(tool: Tool): number {
  return Buffer.byteLength(
    JSON.stringify({ name: tool.name, description: tool.description, input_schema: tool.inputSchema }),
  );
}

export function outputSchemaBytes(tool: Tool): number {
  return tool.outputSchema ? Buffer.byteLength(JSON.stringify(tool.outputSchema)) : 0;
}

export interface ToolFootprint {
  total: number;
  withOutputSchemas: number;
  perTool: { name: string; bytes: number; outputSchemaBytes: number }[];
}

export function toolFootprint(tools: Tool[]): ToolFootprint {
  const perTool = tools.map((tool) => ({
    name: tool.name,
    bytes: definitionBytes(tool),
    outputSchemaBytes: outputSchemaBytes(tool),
  }));
  const total = perTool.reduce((sum, tool) => sum + tool.bytes, 0);
  return {
    total,
    withOutputSchemas: total + perTool.reduce((sum, tool) => sum + tool.outputSchemaBytes, 0),
    perTool,
  };
}

/** The figure printed by the budget test and by `npm run tokens`, e.g. "check_status 120, … = 2,400 bytes". */
export function describeFootprint(footprint: ToolFootprint): string {
  const parts = footprint.perTool.map((tool) => `${tool.name} ${tool.bytes}`);
  return `${parts.join(', ')} = ${footprint.total} bytes (${footprint.withOutputSchemas} with output schemas)`;
}
