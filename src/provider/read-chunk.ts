import type { Usage } from './usage.js';

/** What one streamed chunk says, whatever OpenAI-compatible dialect it is in. */
export interface ChunkReading {
  /** Visible content (never reasoning). */
  content: string;
  /** The chunk carried reasoning (counts as a first token, never as content). */
  reasoning: boolean;
  finishReason: string | null;
  usage?: Usage;
  model?: string;
}

/**
 * Reads one parsed SSE chunk from any OpenAI-compatible server. Tolerates what real providers send: chunks with
 * `choices: []` or no `choices` (usage-only, Azure's prompt-filter chunk), a choice without `delta` (Azure) or
 * with `message` instead, `delta.content` as an array of parts (Mistral), usage under `x_groq.usage` (Groq),
 * `reasoning` / `reasoning_content` / `reasoning_details` (OpenRouter), and extra fields such as `time_info`
 * (Cerebras) or `timings` (llama.cpp), which are ignored.
 */
export function readChunk(chunk: unknown): ChunkReading {
  const record = asRecord(chunk);
  const reading: ChunkReading = { content: '', reasoning: false, finishReason: null };
  if (!record) return reading;
  if (typeof record.model === 'string' && record.model !== '') reading.model = record.model;
  const usage = readUsage(record.usage) ?? readUsage(asRecord(record.x_groq)?.usage);
  if (usage) reading.usage = usage;
  const choices = Array.isArray(record.choices) ? record.choices : [];
  for (const raw of choices) {
    const choice = asRecord(raw);
    if (!choice) continue;
    const delta = asRecord(choice.delta) ?? asRecord(choice.message);
    if (delta) {
      reading.content += contentText(delta.content);
      if (
        hasText(delta.reasoning) ||
        hasText(delta.reasoning_content) ||
        hasParts(delta.reasoning_details) ||
        hasThinkingPart(delta.content)
      ) {
        reading.reasoning = true;
      }
    }
    if (typeof choice.finish_reason === 'string' && choice.finish_reason !== '') {
      reading.finishReason = choice.finish_reason;
    }
  }
  return reading;
}

/** `content` as a string, or an array of parts (`{type: "text", text}`, or bare strings). */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) {
    if (typeof part === 'string') text += part;
    else {
      const record = asRecord(part);
      if (
        record &&
        (record.type === undefined || record.type === 'text') &&
        typeof record.text === 'string'
      ) {
        text += record.text;
      }
    }
  }
  return text;
}

function readUsage(value: unknown): Usage | undefined {
  const usage = asRecord(value);
  if (!usage) return undefined;
  const prompt = count(usage.prompt_tokens);
  const completion = count(usage.completion_tokens);
  if (prompt === undefined && completion === undefined) return undefined;
  const reasoning = count(asRecord(usage.completion_tokens_details)?.reasoning_tokens);
  return {
    promptTokens: prompt ?? 0,
    completionTokens: completion ?? 0,
    totalTokens: count(usage.total_tokens) ?? (prompt ?? 0) + (completion ?? 0),
    ...(reasoning === undefined ? {} : { reasoningTokens: reasoning }),
  };
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function hasText(value: unknown): boolean {
  return typeof value === 'string' && value !== '';
}

/** Mistral's reasoning models send `{type: "thinking", …}` parts inside `content`. */
function hasThinkingPart(content: unknown): boolean {
  return Array.isArray(content) && content.some((part) => asRecord(part)?.type === 'thinking');
}

function hasParts(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
