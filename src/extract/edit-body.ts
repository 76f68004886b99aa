import type { EditHunk, ExtractedEdit } from './extracted-file.js';
import { restorePlaceholders } from './placeholders.js';
import { isPartialFolded, startsWithFolded, utf8Bytes } from './scan-text.js';

const CLOSE_TAG = '</edit>';
/** The longest line held back at a chunk boundary while it may still be a marker line. */
const MAX_MARKER_LINE = 64;

const SEARCH_MARKER = /^<{5,9} ?SEARCH[ \t\r]*$/i;
const DIVIDER = /^={5,9}[ \t\r]*$/;
const REPLACE_MARKER = /^>{5,9} ?REPLACE[ \t\r]*$/i;
const CLOSE_LINE = /^[ \t]*<\/edit>[ \t\r]*$/i;
/** What a marker or closing line can start with (after blanks): anything else is decided at once. */
const MAY_BE_MARKER = /^[ \t]*[<=>]/;

type Phase = 'between' | 'search' | 'replace';

export type EditScan =
  /** The block's `</EDIT>` ends at `end`. */
  | { kind: 'closed'; end: number }
  /** Still open; the text from `hold` may be a marker line or the closing tag and must be kept. */
  | { kind: 'open'; hold: number };

/**
 * The body of an `<EDIT path="...">` block: search/replace hunks in the widely used form
 * `<<<<<<< SEARCH` / `=======` / `>>>>>>> REPLACE`, each marker alone on its line. Lines inside a hunk are kept
 * byte-exact (`\r\n`, tabs, trailing blanks); text between hunks (blank lines, stray fences) is ignored.
 * `</EDIT>` closes the block between hunks; inside a hunk only a line that is `</EDIT>` alone does, and then the
 * block is malformed. Only a possible marker line (≤ 64 characters) is held between chunks.
 */
export class EditBody {
  readonly path: string;
  readonly #hunks: EditHunk[] = [];
  #phase: Phase = 'between';
  /** The current line is decided: hunk content, or ignored text between hunks. */
  #midLine = false;
  #parts: string[] = [];
  #search = '';
  #malformed: string | null = null;

  constructor(path: string) {
    this.path = path;
  }

  scan(text: string, pos: number): EditScan {
    let i = pos;
    while (i < text.length) {
      const newline = text.indexOf('\n', i);
      const lineEnd = newline === -1 ? text.length : newline + 1;
      if (this.#midLine) {
        if (this.#phase === 'between') {
          const close = indexOfFolded(text, CLOSE_TAG, i, lineEnd);
          if (close !== -1) return this.#close(close + CLOSE_TAG.length);
          if (newline === -1) return { kind: 'open', hold: partialCloseStart(text, i) };
        } else {
          this.#parts.push(text.slice(i, lineEnd));
        }
        if (newline === -1) return { kind: 'open', hold: text.length };
        this.#midLine = false;
        i = lineEnd;
        continue;
      }
      // At the start of a line: is it a marker, the closing tag, or content?
      const head = text.slice(i, Math.min(lineEnd, i + MAX_MARKER_LINE + 1));
      if (this.#phase === 'between') {
        const close = indexOfFolded(head, CLOSE_TAG, 0, head.length);
        if (close !== -1) return this.#close(i + close + CLOSE_TAG.length);
      }
      const short = lineEnd - i <= MAX_MARKER_LINE;
      if (newline === -1 && short && MAY_BE_MARKER.test(head)) return { kind: 'open', hold: i };
      if (newline === -1 || !short) {
        this.#midLine = true;
        continue;
      }
      const line = text.slice(i, newline);
      const closed = this.#markerLine(line, text, i);
      if (closed !== null) return closed;
      i = lineEnd;
    }
    return { kind: 'open', hold: text.length };
  }

  edit(): ExtractedEdit {
    const edit: ExtractedEdit = { path: this.path, hunks: this.#hunks.map((hunk) => ({ ...hunk })) };
    if (this.#malformed !== null) edit.malformed = this.#malformed;
    else if (this.#hunks.length === 0) edit.malformed = 'the block holds no <<<<<<< SEARCH hunk';
    return edit;
  }

  /** Bytes of hunk text received so far, counting `held` text (cut off by the end of the stream). */
  receivedBytes(held: string): number {
    const hunks = this.#hunks.reduce((sum, hunk) => sum + utf8Bytes(hunk.search + hunk.replace), 0);
    const open = this.#phase === 'between' ? '' : this.#search + this.#parts.join('') + held;
    return hunks + utf8Bytes(open);
  }

  /** Handles one whole short line (without its `\n`); returns a scan result when it closes the block. */
  #markerLine(line: string, text: string, at: number): EditScan | null {
    const hunk = this.#hunks.length + 1;
    switch (this.#phase) {
      case 'between':
        if (SEARCH_MARKER.test(line)) {
          this.#phase = 'search';
          this.#parts = [];
        }
        return null;
      case 'search':
        if (DIVIDER.test(line)) {
          this.#search = this.#parts.join('');
          this.#parts = [];
          this.#phase = 'replace';
          return null;
        }
        if (REPLACE_MARKER.test(line)) {
          this.#malformed ??= `hunk ${hunk} has no ======= line between SEARCH and REPLACE`;
          this.#phase = 'between';
          return null;
        }
        break;
      case 'replace':
        if (REPLACE_MARKER.test(line)) {
          this.#hunks.push({
            search: restorePlaceholders(this.#search),
            replace: restorePlaceholders(this.#parts.join('')),
          });
          this.#parts = [];
          this.#phase = 'between';
          return null;
        }
        break;
    }
    if (CLOSE_LINE.test(line)) {
      this.#malformed ??= `hunk ${hunk} is not closed by a >>>>>>> REPLACE line`;
      return this.#close(indexOfFolded(text, CLOSE_TAG, at, text.length) + CLOSE_TAG.length);
    }
    this.#parts.push(`${line}\n`);
    return null;
  }

  #close(end: number): EditScan {
    this.#phase = 'between';
    return { kind: 'closed', end };
  }
}

/** Where `word` (lower case) starts in `text` between `from` and `to`, ignoring ASCII case; -1 if nowhere. */
function indexOfFolded(text: string, word: string, from: number, to: number): number {
  let i = text.indexOf('<', from);
  while (i !== -1 && i + word.length <= to) {
    if (startsWithFolded(text, i, word)) return i;
    i = text.indexOf('<', i + 1);
  }
  return -1;
}

/** The start of a possible `</edit>` cut off by the end of `text` (searched from `from`), else the end. */
function partialCloseStart(text: string, from: number): number {
  for (let i = Math.max(from, text.length - CLOSE_TAG.length + 1); i < text.length; i++) {
    if (text.charCodeAt(i) === 60 && isPartialFolded(text, i, CLOSE_TAG)) return i;
  }
  return text.length;
}
