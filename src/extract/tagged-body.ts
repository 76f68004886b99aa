import type { ExtractedFile } from './extracted-file.js';
import { matchOpenTag } from './open-tag.js';
import { restorePlaceholders } from './placeholders.js';
import { isPartialFolded, startsWithFolded, utf8Bytes } from './scan-text.js';

const CLOSE_TAG = '</file>';
const TAB = 9;
const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const SPACE = 32;

export type TaggedScan =
  /** The matching `</FILE>` ends at `end`. */
  | { kind: 'closed'; end: number }
  /** Still open; the text from `hold` may start a tag and must be kept for the next chunk. */
  | { kind: 'open'; hold: number };

/**
 * The content of a `<FILE path="...">` block. It starts after the opening tag's line when the rest of that line
 * is blank (spaces, tabs, `\r\n` are dropped), otherwise right after the tag; it ends just before the matching
 * `</FILE>`. Complete opening tags inside the body nest: each needs its own `</FILE>`, and all of it is content.
 */
export class TaggedBody {
  readonly path: string;
  readonly #parts: string[] = [];
  #depth = 0;
  /** Blank text seen after the opening tag while its line is undecided; null once content has started. */
  #openingLine: string | null = '';

  constructor(path: string) {
    this.path = path;
  }

  scan(text: string, pos: number): TaggedScan {
    let start = pos;
    if (this.#openingLine !== null) {
      const next = this.#skipOpeningLine(text, pos);
      if (next === null) return { kind: 'open', hold: text.length };
      if (next === -1) return { kind: 'open', hold: text.length - 1 };
      start = next;
    }
    let i = text.indexOf('<', start);
    while (i !== -1) {
      if (startsWithFolded(text, i, CLOSE_TAG)) {
        if (this.#depth === 0) {
          this.#append(text.slice(start, i));
          return { kind: 'closed', end: i + CLOSE_TAG.length };
        }
        this.#depth--;
        i = text.indexOf('<', i + CLOSE_TAG.length);
        continue;
      }
      const nested = matchOpenTag(text, i);
      if (nested.kind === 'partial' || isPartialFolded(text, i, CLOSE_TAG)) {
        this.#append(text.slice(start, i));
        return { kind: 'open', hold: i };
      }
      if (nested.kind === 'tag') this.#depth++;
      i = text.indexOf('<', nested.kind === 'tag' ? nested.end : i + 1);
    }
    this.#append(text.slice(start));
    return { kind: 'open', hold: text.length };
  }

  file(): ExtractedFile {
    return { path: this.path, content: restorePlaceholders(this.#parts.join('')) };
  }

  /** Bytes of content so far, counting `held` text (a possible tag cut off by the end of the stream). */
  receivedBytes(held: string): number {
    if (this.#openingLine !== null) return 0;
    return utf8Bytes(restorePlaceholders(this.#parts.join('') + held));
  }

  /**
   * Where content starts: after the line end if the rest of the opening line is blank, else at the first non-blank
   * character (the blanks before it are content). null: all blank so far; -1: a final `\r` needs the next chunk.
   */
  #skipOpeningLine(text: string, pos: number): number | null {
    let i = pos;
    while (i < text.length && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i++;
    const blanks = this.#openingLine + text.slice(pos, i);
    if (i === text.length) {
      this.#openingLine = blanks;
      return null;
    }
    const code = text.charCodeAt(i);
    if (code === CARRIAGE_RETURN && i + 1 === text.length) {
      this.#openingLine = blanks;
      return -1;
    }
    this.#openingLine = null;
    if (code === NEWLINE) return i + 1;
    if (code === CARRIAGE_RETURN && text.charCodeAt(i + 1) === NEWLINE) return i + 2;
    this.#append(blanks);
    return i;
  }

  #append(text: string): void {
    if (text.length > 0) this.#parts.push(text);
  }
}
