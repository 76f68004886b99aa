import type * as z from 'zod';

/**
 * A tool's input schema as a client sends it to the model, without what costs bytes on every turn and says
 * little to the model: the `$schema` dialect URL (MCP's default dialect is the same 2020-12) and numeric and
 * length bounds (zod writes ±2^53-1 for every integer). Validation is untouched: the server still refuses what
 * the full schema refuses, with an error naming the field and the bound; only the listed JSON Schema changes.
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

/** Bounds the server enforces and reports by field name when broken; the model does not need them listed. */
const VALIDATION_ONLY = new Set([
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxItems',
]);

function stripNoise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripNoise);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === '$schema') continue;
    if (VALIDATION_ONLY.has(key)) continue;
    out[key] = stripNoise(item);
  }
  return out;
}
