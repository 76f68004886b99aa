/** The legacy format: a `### FILE: path` heading line, optional blank lines, then a fenced code block. */

/** The longest heading or fence-opening line recognised. Bounds what is held between chunks. */
export const MAX_LEGACY_LINE_LENGTH = 1024;

const PROBE_LENGTH = 24;
const HEADING_PREFIX = /^ {0,3}#{1,6}[ \t]{1,4}file:/i;
const HEADING_PREFIX_SO_FAR = /^ {0,3}(?:#{1,6}(?:[ \t]{1,4}(?:f(?:i(?:l(?:e)?)?)?)?)?)?$/i;
const HEADING = /^ {0,3}#{1,6}[ \t]{1,4}file:(.*)$/i;
const WRAPPED_IN_BACKTICKS = /^`([^`]+)`$/;
const FENCE_OPENING = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const BLANK = /^[ \t]*\r?$/;

export interface Fence {
  char: '`' | '~';
  length: number;
  /** Spaces before the opening fence; up to this many are removed from each content line (CommonMark). */
  indent: number;
}

export type HeadingProbe = 'heading' | 'maybe' | 'no';

/** At the start of a line: whether it begins like a `### FILE:` heading ('maybe' when the text ends too soon). */
export function probeHeading(text: string, pos: number): HeadingProbe {
  const first = text.charCodeAt(pos);
  if (first !== 35 && first !== 32) return 'no';
  const probe = text.slice(pos, pos + PROBE_LENGTH);
  const newline = probe.indexOf('\n');
  const head = newline === -1 ? probe : probe.slice(0, newline);
  if (HEADING_PREFIX.test(head)) return 'heading';
  const textEnded = newline === -1 && pos + probe.length === text.length;
  return textEnded && HEADING_PREFIX_SO_FAR.test(head) ? 'maybe' : 'no';
}

/** The path named by a heading line (without its `\n`), trimmed and unwrapped from `backticks`; null if none. */
export function parseHeadingLine(line: string): string | null {
  const match = HEADING.exec(stripCarriageReturn(line));
  if (match === null) return null;
  const written = match[1]!.trim();
  const path = WRAPPED_IN_BACKTICKS.exec(written)?.[1] ?? written;
  return path.length > 0 ? path : null;
}

export function parseFenceOpening(line: string): Fence | null {
  const match = FENCE_OPENING.exec(stripCarriageReturn(line));
  if (match === null) return null;
  const run = match[2]!;
  const char = run[0] === '`' ? '`' : '~';
  // CommonMark: a backtick fence's info string cannot contain a backtick.
  if (char === '`' && match[3]!.includes('`')) return null;
  return { char, length: run.length, indent: match[1]!.length };
}

export function isBlankLine(line: string): boolean {
  return BLANK.test(line);
}

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
