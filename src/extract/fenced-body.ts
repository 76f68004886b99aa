import type { ExtractedFile } from './extracted-file.js';
import type { Fence } from './legacy-heading.js';
import { restorePlaceholders } from './placeholders.js';
import { utf8Bytes } from './scan-text.js';

const TAB = 9;
const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const SPACE = 32;

/** Where the current line stands: still possibly a closing fence (indent, run, trailing) or plain content. */
type LinePhase = 'indent' | 'run' | 'trailing' | 'text';

/**
 * The content of a legacy fenced block, line by line, closed by CommonMark's rule: up to three spaces, a run of
 * the fence character at least as long as the opening one, then only spaces or tabs. A line that may still be the
 * closing fence is held as counts (not text), so nothing is rescanned and nothing is carried between chunks.
 */
export class FencedBody {
  readonly path: string;
  readonly #fence: Fence;
  readonly #fenceCode: number;
  readonly #parts: string[] = [];
  #phase: LinePhase = 'indent';
  #indent = 0;
  #run = 0;
  #trailing = '';

  constructor(path: string, fence: Fence) {
    this.path = path;
    this.#fence = fence;
    this.#fenceCode = fence.char.charCodeAt(0);
  }

  /** Consumes `text` from `pos`: the position after the closing fence line, or -1 if the block is still open. */
  scan(text: string, pos: number): number {
    let i = pos;
    while (i < text.length) {
      if (this.#phase === 'text') {
        const newline = text.indexOf('\n', i);
        if (newline === -1) {
          this.#parts.push(text.slice(i));
          return -1;
        }
        this.#parts.push(text.slice(i, newline + 1));
        this.#startLine();
        i = newline + 1;
        continue;
      }
      const code = text.charCodeAt(i);
      if (this.#phase === 'indent' && code === SPACE) {
        this.#indent++;
        i++;
        if (this.#indent === 4) this.#releaseLine();
      } else if (this.#phase === 'indent' && code === this.#fenceCode) {
        this.#phase = 'run';
        this.#run = 1;
        i++;
      } else if (this.#phase === 'run' && code === this.#fenceCode) {
        this.#run++;
        i++;
      } else if (this.#phase !== 'indent' && (code === SPACE || code === TAB || code === CARRIAGE_RETURN)) {
        this.#phase = 'trailing';
        this.#trailing += text[i];
        i++;
      } else if (this.#phase !== 'indent' && code === NEWLINE && this.#run >= this.#fence.length) {
        return i + 1;
      } else {
        this.#releaseLine();
      }
    }
    return -1;
  }

  /** At end of stream: whether the last, unterminated line is a closing fence (CommonMark accepts that). */
  closesAtEnd(): boolean {
    return (this.#phase === 'run' || this.#phase === 'trailing') && this.#run >= this.#fence.length;
  }

  file(): ExtractedFile {
    return { path: this.path, content: restorePlaceholders(this.#parts.join('')) };
  }

  receivedBytes(): number {
    const held = this.#phase === 'text' ? '' : this.#heldLine();
    return utf8Bytes(restorePlaceholders(this.#parts.join('') + held));
  }

  #heldLine(): string {
    const kept = Math.max(0, this.#indent - this.#fence.indent);
    return ' '.repeat(kept) + this.#fence.char.repeat(this.#run) + this.#trailing;
  }

  /** The held start of the line is content after all. */
  #releaseLine(): void {
    const held = this.#heldLine();
    if (held.length > 0) this.#parts.push(held);
    this.#phase = 'text';
  }

  #startLine(): void {
    this.#phase = 'indent';
    this.#indent = 0;
    this.#run = 0;
    this.#trailing = '';
  }
}
