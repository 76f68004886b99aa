import { MAX_LEGACY_LINE_LENGTH, parseHeadingLine, probeHeading } from './legacy-heading.js';
import { matchOpenTag } from './open-tag.js';
import { isPartialFolded, readLine, startsWithFolded } from './scan-text.js';
import { THINK_OPEN } from './think-block.js';

const NEWLINE = 10;
const LESS_THAN = 60;

export type ProseEvent =
  | { kind: 'file-tag'; path: string; end: number }
  | { kind: 'edit-tag'; path: string; end: number }
  | { kind: 'heading'; path: string; end: number }
  /** `<think>` opened; `atLineStart` is what to resume with once it closes (the block is invisible). */
  | { kind: 'think'; end: number; atLineStart: boolean }
  /** The text from `at` may start a tag or heading: keep it for the next chunk. */
  | { kind: 'hold'; at: number; atLineStart: boolean }
  | { kind: 'done'; atLineStart: boolean };

/**
 * Scans text outside any block for what starts one: `<FILE ...>`, `<EDIT ...>`, `<think>`, or a `### FILE:` heading at the
 * start of a line. Everything else is prose and is skipped.
 */
export function scanProse(text: string, pos: number, atLineStart: boolean): ProseEvent {
  let lineStart = atLineStart;
  for (let i = pos; i < text.length; i++) {
    const wasLineStart = lineStart;
    if (lineStart) {
      lineStart = false;
      const probe = probeHeading(text, i);
      if (probe === 'maybe') return { kind: 'hold', at: i, atLineStart: true };
      if (probe === 'heading') {
        const line = readLine(text, i, MAX_LEGACY_LINE_LENGTH);
        if (line.kind === 'incomplete') return { kind: 'hold', at: i, atLineStart: true };
        const path = line.kind === 'line' ? parseHeadingLine(line.line) : null;
        if (line.kind === 'line' && path !== null) return { kind: 'heading', path, end: line.end };
      }
    }
    const code = text.charCodeAt(i);
    if (code === NEWLINE) {
      lineStart = true;
    } else if (code === LESS_THAN) {
      if (startsWithFolded(text, i, THINK_OPEN)) {
        return { kind: 'think', end: i + THINK_OPEN.length, atLineStart: wasLineStart };
      }
      const tag = matchOpenTag(text, i);
      if (tag.kind === 'tag') return { kind: 'file-tag', path: tag.path, end: tag.end };
      const edit = matchOpenTag(text, i, 'edit');
      if (edit.kind === 'tag') return { kind: 'edit-tag', path: edit.path, end: edit.end };
      if (tag.kind === 'partial' || edit.kind === 'partial' || isPartialFolded(text, i, THINK_OPEN)) {
        return { kind: 'hold', at: i, atLineStart: wasLineStart };
      }
    }
  }
  return { kind: 'done', atLineStart: lineStart };
}
