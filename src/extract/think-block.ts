import { isPartialFolded, startsWithFolded } from './scan-text.js';

export const THINK_OPEN = '<think>';
const THINK_CLOSE = '</think>';

export type ThinkScan =
  /** `</think>` found; scanning resumes at `end`. */
  | { kind: 'closed'; end: number }
  /** Still inside the block; the text from `hold` may be the start of `</think>` and must be kept. */
  | { kind: 'open'; hold: number };

/** Skips reasoning inside a `<think>` block (already opened) up to and including its closing tag. */
export function scanThinkBlock(text: string, pos: number): ThinkScan {
  let i = text.indexOf('<', pos);
  while (i !== -1) {
    if (startsWithFolded(text, i, THINK_CLOSE)) return { kind: 'closed', end: i + THINK_CLOSE.length };
    if (isPartialFolded(text, i, THINK_CLOSE)) return { kind: 'open', hold: i };
    i = text.indexOf('<', i + 1);
  }
  return { kind: 'open', hold: text.length };
}
