/**
 * Lines added and removed between two versions of a text (pure), counted over the region between their common
 * first and last lines. Cheap and linear; for a change in one place it is the exact diff count, for changes in
 * several places it counts what lies between the first and the last change.
 */
export function lineChanges(before: string, after: string): { added: number; removed: number } {
  const a = splitLines(before);
  const b = splitLines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail++;
  }
  return { added: b.length - head - tail, removed: a.length - head - tail };
}

/** Lines with their breaks, so a line that only gained or lost its final newline counts as changed. */
function splitLines(text: string): string[] {
  return text.length === 0 ? [] : (text.match(/[^\n]*\n|[^\n]+$/g) ?? []);
}
