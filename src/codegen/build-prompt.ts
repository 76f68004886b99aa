/**
 * Prompt assembly for file generation (pure): the agent's contract, the context files it asked to embed, and
 * the output-format rules the file extractor depends on. No I/O here; `readContextFiles` reads the files.
 */

/** A file embedded in the prompt as reference material. */
export interface PromptContextFile {
  /** The path as the model should see it (relative to the working directory when possible). */
  path: string;
  content: string;
}

/** Used when the caller gives no system prompt. */
export const DEFAULT_SYSTEM_PROMPT = [
  'You are a senior software engineer who turns precise contracts into complete, working source files.',
  'Follow the contract exactly: file paths, names, types, signatures, behaviour and rules.',
  'Write production-quality code: no placeholders, no TODOs standing in for logic, no elided sections.',
  'Reply with files only, in the output format the user message gives.',
].join('\n');

/** Appended after the contract: the one format `FileStreamExtractor` parses. */
export const OUTPUT_FORMAT_INSTRUCTIONS = [
  '## Output format',
  '',
  'Emit every file like this:',
  '',
  '<FILE path="relative/path/to/file.ext">',
  'the complete contents of the file',
  '</FILE>',
  '',
  'Rules:',
  '- `path` is relative to the output directory, uses "/" between directories, has no ".." and no leading "/".',
  '- Put the closing </FILE> tag on its own line.',
  '- Write each file in full: never "...", "rest unchanged" or similar elisions.',
  '- Do not wrap files in markdown code fences.',
  '- No prose, explanation or summary is needed before, between or after the files.',
].join('\n');

const CONTEXT_HEADER = [
  '## Context files',
  '',
  'Existing files, for reference only. Do not emit them again unless the contract asks you to change them.',
].join('\n');

/** The system prompt a request uses: the caller's when it has one, otherwise the default. */
export function systemPromptFor(systemPrompt: string | undefined): string {
  return systemPrompt !== undefined && systemPrompt.trim() !== '' ? systemPrompt : DEFAULT_SYSTEM_PROMPT;
}

/**
 * The user message for a file-generation request: context files (if any), then the contract, then the output
 * format. Context files are fenced by BEGIN/END lines naming the path, so a file that itself contains `<FILE>`
 * tags or markdown fences cannot end its block early.
 */
export function buildPrompt(contract: string, contextFiles: readonly PromptContextFile[] = []): string {
  const parts: string[] = [];
  if (contextFiles.length > 0) {
    parts.push(CONTEXT_HEADER);
    for (const file of contextFiles) parts.push(formatContextFile(file));
  }
  parts.push(contract.trim());
  parts.push(OUTPUT_FORMAT_INSTRUCTIONS);
  return parts.join('\n\n') + '\n';
}

function formatContextFile(file: PromptContextFile): string {
  const body = file.content.endsWith('\n') ? file.content : `${file.content}\n`;
  return `===== BEGIN CONTEXT FILE: ${file.path} =====\n${body}===== END CONTEXT FILE: ${file.path} =====`;
}
