import { EditBody } from './edit-body.js';
import type { ExtractedBlock, UnclosedFile } from './extracted-file.js';
import { FencedBody } from './fenced-body.js';
import { isBlankLine, MAX_LEGACY_LINE_LENGTH, parseFenceOpening } from './legacy-heading.js';
import { scanProse } from './prose-scanner.js';
import { readLine } from './scan-text.js';
import { TaggedBody } from './tagged-body.js';
import { scanThinkBlock } from './think-block.js';

export type {
  EditHunk,
  ExtractedBlock,
  ExtractedEdit,
  ExtractedFile,
  UnclosedFile,
} from './extracted-file.js';
export { isEdit } from './extracted-file.js';

type State =
  | { mode: 'prose' }
  | { mode: 'think'; resumeAtLineStart: boolean }
  | { mode: 'tagged'; body: TaggedBody }
  | { mode: 'edit'; body: EditBody }
  | { mode: 'awaiting-fence'; path: string }
  | { mode: 'fenced'; body: FencedBody };

export interface ExtractionResult {
  /** Whole files and edits, in reply order. */
  files: ExtractedBlock[];
  unclosed: UnclosedFile[];
}

/**
 * Turns a streamed model reply into files and edits. Feed content deltas of any size to `push`; each block
 * (`<FILE>`, `<EDIT>` or a legacy heading + fence) is returned by the push that delivers its closing tag. `end` flushes: a file still open is reported in `unclosed`, never
 * returned as complete. Each character is scanned a bounded number of times; at most one opening tag or
 * heading line (≤ 1 KiB) is held back between pushes.
 */
export class FileStreamExtractor {
  #state: State = { mode: 'prose' };
  /** Unconsumed input that may be the start of a tag or heading, prepended to the next chunk. */
  #carry = '';
  #atLineStart = true;
  #ended = false;

  push(chunk: string): ExtractedBlock[] {
    if (this.#ended) throw new Error('FileStreamExtractor.push called after end()');
    const text = this.#carry.length === 0 ? chunk : this.#carry + chunk;
    this.#carry = '';
    const files: ExtractedBlock[] = [];
    let pos = 0;
    while (pos < text.length) pos = this.#step(text, pos, files);
    return files;
  }

  end(): ExtractionResult {
    this.#ended = true;
    const state = this.#state;
    const held = this.#carry;
    this.#state = { mode: 'prose' };
    this.#carry = '';
    if (state.mode === 'tagged' || state.mode === 'edit') {
      return { files: [], unclosed: [{ path: state.body.path, bytes: state.body.receivedBytes(held) }] };
    }
    if (state.mode === 'fenced') {
      return state.body.closesAtEnd()
        ? { files: [state.body.file()], unclosed: [] }
        : { files: [], unclosed: [{ path: state.body.path, bytes: state.body.receivedBytes() }] };
    }
    return { files: [], unclosed: [] };
  }

  /** Advances through `text` from `pos` in the current mode; returns where to continue. */
  #step(text: string, pos: number, files: ExtractedBlock[]): number {
    const state = this.#state;
    switch (state.mode) {
      case 'prose': {
        const event = scanProse(text, pos, this.#atLineStart);
        if (event.kind === 'done' || event.kind === 'hold') {
          this.#atLineStart = event.atLineStart;
          return event.kind === 'hold' ? this.#hold(text, event.at) : text.length;
        }
        if (event.kind === 'think') this.#state = { mode: 'think', resumeAtLineStart: event.atLineStart };
        if (event.kind === 'file-tag') this.#state = { mode: 'tagged', body: new TaggedBody(event.path) };
        if (event.kind === 'edit-tag') this.#state = { mode: 'edit', body: new EditBody(event.path) };
        if (event.kind === 'heading') this.#state = { mode: 'awaiting-fence', path: event.path };
        return event.end;
      }
      case 'think': {
        const scan = scanThinkBlock(text, pos);
        if (scan.kind === 'open') return this.#hold(text, scan.hold);
        this.#toProse(state.resumeAtLineStart);
        return scan.end;
      }
      case 'tagged': {
        const scan = state.body.scan(text, pos);
        if (scan.kind === 'open') return this.#hold(text, scan.hold);
        files.push(state.body.file());
        this.#toProse(false);
        return scan.end;
      }
      case 'edit': {
        const scan = state.body.scan(text, pos);
        if (scan.kind === 'open') return this.#hold(text, scan.hold);
        files.push(state.body.edit());
        this.#toProse(false);
        return scan.end;
      }
      case 'awaiting-fence': {
        const line = readLine(text, pos, MAX_LEGACY_LINE_LENGTH);
        if (line.kind === 'incomplete') return this.#hold(text, pos);
        if (line.kind === 'line' && isBlankLine(line.line)) return line.end;
        const fence = line.kind === 'line' ? parseFenceOpening(line.line) : null;
        if (line.kind === 'line' && fence !== null) {
          this.#state = { mode: 'fenced', body: new FencedBody(state.path, fence) };
          return line.end;
        }
        // Not a fence: the heading was prose, and this line is looked at again as prose.
        this.#toProse(true);
        return pos;
      }
      case 'fenced': {
        const end = state.body.scan(text, pos);
        if (end === -1) return text.length;
        files.push(state.body.file());
        this.#toProse(true);
        return end;
      }
    }
  }

  #hold(text: string, at: number): number {
    this.#carry = text.slice(at);
    return text.length;
  }

  #toProse(atLineStart: boolean): void {
    this.#state = { mode: 'prose' };
    this.#atLineStart = atLineStart;
  }
}

/** The one-shot form: every complete file in `text`, and the file left open at its end, if any. */
export function extractFiles(text: string): ExtractionResult {
  const extractor = new FileStreamExtractor();
  const files = extractor.push(text);
  const rest = extractor.end();
  return { files: [...files, ...rest.files], unclosed: rest.unclosed };
}
