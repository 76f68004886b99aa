import type * as z from 'zod';

/**
 * A tool's input schema as a client sends it to the model, without what costs bytes on every turn and says
 * nothing to the model: the `$schema` dialect URL (MCP's default dialect is the same 2020-12), the ±2^53-1
 * bounds zod writes for every integer, and `minLength: 1`. Validation is untouched: the server still refuses
 * what the full schema refuses, with an error naming the field; only the JSON Schema view changes.
 */
export function compactSchema<T extends z.ZodType>(schema: T): T {
  const standard = schema['~standard'] as z.ZodType['~standard'] & {
    jsonSchema: Record<'input' | 'output', (options: { target: string }) => Record<string, unknown>>;
  };
  const compact = (io: 'input' | 'output') => (options: { target: string }) =>
    stripNoise(standard.jsonSchema[io](options)) as Record<string, unknown>;
  (schema as { '~standard': unknown })['~standard'] = {
    ...standard,
    jsonSchema: { input: compact('input'), output: compact('output') },
  };
  return schema;
}

function stripNoise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripNoise);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === '$schema') continue;
    if (key === 'maximum' && item === Number.MAX_SAFE_INTEGER) continue;
    if (key === 'minimum' && item === Number.MIN_SAFE_INTEGER) continue;
    if (key === 'minLength' && item === 1) continue;
    out[key] = stripNoise(item);
  }
  return out;
}
