import type { EditHunk } from '../extract/extracted-file.js';
import { lineChanges } from './line-changes.js';

export type HunkApplication =
  | {
      ok: true;
      content: string;
      hunks: number;
      /** Lines of the changed regions, after and before (a region is what lies between equal first/last lines). */
      added: number;
      removed: number;
      /** Hunks that matched only once trailing blanks and line-ending style were ignored. */
      tolerant: number;
    }
  | { ok: false; hunk: number; reason: string };

const SHOWN_LINE_CHARS = 80;

/**
 * Applies search/replace hunks to a file's text, all or nothing (pure). Each SEARCH must occur exactly once in
 * the text left by the hunks before it. When it occurs nowhere, one tolerant try compares whole lines while
 * ignoring trailing blanks and `\r\n` vs `\n`; nothing fuzzier. Replacement text takes the file's line-ending
 * style when the file has one, so a CRLF file stays CRLF; tabs and the final newline are kept as they are.
 */
export function applyHunks(original: string, hunks: readonly EditHunk[]): HunkApplication {
  const eol = lineEndingStyle(original);
  let text = original;
  let added = 0;
  let removed = 0;
  let tolerant = 0;
  for (const [index, hunk] of hunks.entries()) {
    const number = index + 1;
    if (hunk.search.length === 0) {
      return { ok: false, hunk: number, reason: 'its SEARCH is empty; give existing lines, or use FILE' };
    }
    const replace = eol === null ? hunk.replace : withLineEndings(hunk.replace, eol);
    const exact = occurrences(text, hunk.search);
    let next: string;
    if (exact.length === 1) {
      const at = exact[0]!;
      next = text.slice(0, at) + replace + text.slice(at + hunk.search.length);
    } else if (exact.length > 1) {
      return {
        ok: false,
        hunk: number,
        reason: `its SEARCH matches ${exact.length} places; it must match one`,
      };
    } else {
      const loose = looseMatch(text, hunk.search);
      if (loose.kind === 'many') {
        return {
          ok: false,
          hunk: number,
          reason: `its SEARCH matches ${loose.count} places (ignoring trailing blanks); it must match one`,
        };
      }
      if (loose.kind === 'none') return { ok: false, hunk: number, reason: loose.reason };
      let replacement = replace;
      // The region ran to the end of a file without a final newline: keep it without one.
      if (loose.end === text.length && !/\n$/.test(text)) replacement = replacement.replace(/\r?\n$/, '');
      else if (replacement.length > 0 && !/\n$/.test(replacement)) replacement += eol ?? '\n';
      next = text.slice(0, loose.start) + replacement + text.slice(loose.end);
      tolerant += 1;
    }
    const change = lineChanges(text, next);
    added += change.added;
    removed += change.removed;
    text = next;
  }
  return { ok: true, content: text, hunks: hunks.length, added, removed, tolerant };
}

/** `\r\n` or `\n` when every line break of the text is that one; null for no breaks or a mix. */
export function lineEndingStyle(text: string): '\r\n' | '\n' | null {
  const breaks = text.match(/\r?\n/g);
  if (breaks === null) return null;
  const crlf = breaks.filter((b) => b === '\r\n').length;
  if (crlf === breaks.length) return '\r\n';
  return crlf === 0 ? '\n' : null;
}

function withLineEndings(text: string, eol: '\r\n' | '\n'): string {
  return text.replace(/\r?\n/g, eol);
}

/** Every index where `search` starts in `text`, overlapping ones included. */
function occurrences(text: string, search: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(search); at !== -1; at = text.indexOf(search, at + 1)) found.push(at);
  return found;
}

interface Line {
  /** Without its line break and trailing blanks. */
  key: string;
  start: number;
  /** After its line break. */
  end: number;
}

function linesOf(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline + 1;
    lines.push({ key: text.slice(start, end).replace(/[ \t\r\n]+$/, ''), start, end });
    start = end;
  }
  return lines;
}

type LooseMatch =
  | { kind: 'one'; start: number; end: number }
  | { kind: 'many'; count: number }
  | { kind: 'none'; reason: string };

/** Whole lines equal up to trailing blanks and line-ending style; the reason names the first differing line. */
function looseMatch(text: string, search: string): LooseMatch {
  const file = linesOf(text);
  const wanted = linesOf(search).map((line) => line.key);
  const starts: number[] = [];
  let best = { at: -1, length: 0 };
  for (let at = 0; at + wanted.length <= file.length; at++) {
    let length = 0;
    while (length < wanted.length && file[at + length]!.key === wanted[length]) length++;
    if (length === wanted.length) starts.push(at);
    else if (length > best.length) best = { at, length };
  }
  if (starts.length === 1) {
    const first = file[starts[0]!]!;
    const last = file[starts[0]! + wanted.length - 1]!;
    return { kind: 'one', start: first.start, end: last.end };
  }
  if (starts.length > 1) return { kind: 'many', count: starts.length };
  if (best.length === 0) {
    const partial = file.length < wanted.length ? `; the file has only ${file.length} lines` : '';
    return {
      kind: 'none',
      reason: `no match: its first SEARCH line ${show(wanted[0] ?? '')} is not in the file${partial}`,
    };
  }
  const differs = best.at + best.length;
  const got = file[differs];
  return {
    kind: 'none',
    reason:
      `no match: SEARCH line ${best.length + 1} ${show(wanted[best.length] ?? '')} differs from file line ` +
      `${differs + 1} ${got === undefined ? '(end of file)' : show(got.key)}`,
  };
}

function show(line: string): string {
  const clipped = line.length > SHOWN_LINE_CHARS ? `${line.slice(0, SHOWN_LINE_CHARS - 1)}…` : line;
  return JSON.stringify(clipped.trim());
}
