/**
 * Builds realistic multi-file model replies for tests and benchmarks: `<FILE>` blocks of TypeScript, each
 * carrying a marker string that must never appear in a tool result (results are metadata only).
 */
export const CONTENT_MARKER = 'GENERATED_BODY_MARKER_7f3a';

export interface FileReplyOptions {
  files: number;
  /** Lines per file (default 40). */
  lines?: number;
  /** Directory prefix inside the output dir (default "src/"). */
  prefix?: string;
}

export function fileReplyPaths(options: FileReplyOptions): string[] {
  const prefix = options.prefix ?? 'src/';
  return Array.from(
    { length: options.files },
    (_, i) => `${prefix}module-${String(i + 1).padStart(2, '0')}.ts`,
  );
}

export function fileReply(options: FileReplyOptions): string {
  const lines = options.lines ?? 40;
  return fileReplyPaths(options)
    .map((path, index) => {
      const body = [`// ${CONTENT_MARKER} file ${index + 1}`];
      for (let line = 1; body.length < lines; line++) {
        body.push(
          `export function compute${index}_${line}(value: number): number { return value * ${line} + ${index}; }`,
        );
      }
      return `<FILE path="${path}">\n${body.join('\n')}\n</FILE>\n`;
    })
    .join('\n');
}
