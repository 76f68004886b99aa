/**
 * Prompt assembly for file generation (pure): the agent's contract, the context files it asked to embed, and
 * the output-format rules the file extractor depends on. No I/O here; `readContextFiles` reads the files.
 */

/** A file embedded in the prompt as reference material. */
export interface PromptContextFile {
  /**
   * The path as the model should see it: relative to the output directory when the file lies inside it
   * (`editable`), otherwise as the caller gave it.
   */
  path: string;
  content: string;
  /** Inside the output directory: the model may change it with an EDIT block. */
  editable?: boolean;
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

/** Appended after the FILE format when the model may change existing files: the EDIT block. */
export const EDIT_FORMAT_INSTRUCTIONS = [
  'To change an existing file marked "editable", emit only the changed parts instead of the whole file:',
  '',
  '<EDIT path="relative/path/to/file.ext">',
  '<<<<<<< SEARCH',
  'exact existing lines',
  '=======',
  'replacement lines',
  '>>>>>>> REPLACE',
  '</EDIT>',
  '',
  'Edit rules:',
  '- Use EDIT for editable files and FILE for new files (or a file that changes almost entirely).',
  '- SEARCH copies current lines exactly, indentation included, and must match one place only: add',
  '  surrounding lines until it is unique. Keep each hunk small; one EDIT block may hold several hunks,',
  '  applied in order. An empty REPLACE deletes the lines.',
].join('\n');

const CONTEXT_HEADER = [
  '## Context files',
  '',
  'Existing files, for reference only. Do not emit them again unless the contract asks you to change them.',
].join('\n');

const EDITABLE_CONTEXT_HEADER = [
  '## Context files',
  '',
  'Existing files. Change an editable one only as the contract asks, with an EDIT block; leave the others as they are.',
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
  const editable = contextFiles.some((file) => file.editable);
  if (contextFiles.length > 0) {
    parts.push(editable ? EDITABLE_CONTEXT_HEADER : CONTEXT_HEADER);
    for (const file of contextFiles) parts.push(formatContextFile(file));
  }
  parts.push(contract.trim());
  parts.push(
    editable ? `${OUTPUT_FORMAT_INSTRUCTIONS}\n\n${EDIT_FORMAT_INSTRUCTIONS}` : OUTPUT_FORMAT_INSTRUCTIONS,
  );
  return parts.join('\n\n') + '\n';
}

/** What a repair request carries besides the contract: the code as it is now and how its tests fail. */
export interface RepairPromptInput {
  contract: string;
  /** Current content of the generated and edited files (paths relative to the output directory). */
  files: readonly PromptContextFile[];
  /** The context files of the first request that are not among `files`. */
  context?: readonly PromptContextFile[];
  testCommand: string;
  /** The end of the failing test output. */
  failingOutput: string;
}

/**
 * The user message asking the model to fix the code it wrote so the tests pass: context, current files (all
 * editable), the contract, the failing output, then the output format with EDIT preferred.
 */
export function buildRepairPrompt(input: RepairPromptInput): string {
  const parts: string[] = [];
  if ((input.context ?? []).length > 0) {
    parts.push(CONTEXT_HEADER);
    for (const file of input.context ?? []) parts.push(formatContextFile({ ...file, editable: false }));
  }
  parts.push('## Current files\n\nThe code written for the contract below, as it is on disk now.');
  for (const file of input.files) parts.push(formatContextFile({ ...file, editable: true }));
  parts.push(`## Contract\n\n${input.contract.trim()}`);
  parts.push(
    [
      '## Failing tests',
      '',
      `\`${input.testCommand}\` fails. The end of its output:`,
      '',
      '===== BEGIN TEST OUTPUT =====',
      input.failingOutput.replace(/\s+$/, ''),
      '===== END TEST OUTPUT =====',
      '',
      'Fix the code so the tests pass and the contract holds. Change only what the failure needs, with EDIT',
      'blocks (FILE only for a missing file). Do not change the tests unless they contradict the contract.',
    ].join('\n'),
  );
  parts.push(`${OUTPUT_FORMAT_INSTRUCTIONS}\n\n${EDIT_FORMAT_INSTRUCTIONS}`);
  return parts.join('\n\n') + '\n';
}

function formatContextFile(file: PromptContextFile): string {
  const body = file.content.endsWith('\n') ? file.content : `${file.content}\n`;
  const label = file.editable ? `${file.path} (editable)` : file.path;
  return `===== BEGIN CONTEXT FILE: ${label} =====\n${body}===== END CONTEXT FILE: ${file.path} =====`;
}
