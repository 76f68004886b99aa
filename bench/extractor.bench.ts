// Extractor throughput on a realistic ~10 MB reply fed in 64-byte chunks, and how its time scales with input size.
import { FileStreamExtractor } from '../src/extract/file-stream-extractor.js';
import { median, type BenchSuite } from './bench-figure.js';

const CHUNK_SIZE = 64;
const RUNS = 7;
const MB = 1_000_000;

function moduleSource(n: number): string {
  const lines = [`import type { Props${n} } from './types.js';`, ''];
  for (let i = 0; i < 60; i++) {
    lines.push(
      `export function render${n}_${i}<T extends Props${n}>(props: T): string {`,
      `  const items: Array<Map<string, T>> = [];`,
      `  if (props.count < ${i} && props.count >= 0) items.push(new Map());`,
      `  return \`<div class="item-${i}"><span>\${props.label}</span></div>\`; // </FILE> is only text here`,
      '}',
      '',
    );
  }
  return lines.join('\n');
}

/** A reply shaped like real ones: a think block, prose, many tagged files and some legacy fenced blocks. */
function buildReply(targetBytes: number): string {
  const parts = [
    '<think>\nThe contract asks for components. <FILE path="draft.ts">x</FILE> is only a plan.\n</think>\n',
  ];
  let size = parts[0]!.length;
  for (let n = 0; size < targetBytes; n++) {
    const source = moduleSource(n);
    const block =
      n % 5 === 4
        ? `### FILE: src/legacy-${n}.ts\n\n\`\`\`ts\n${source}\`\`\`\n\n`
        : `Here is module ${n}, which renders rows:\n\n<FILE path="src/module-${n}.ts">\n${source}</FILE>\n\n`;
    parts.push(block);
    size += block.length;
  }
  return parts.join('');
}

function chunk(text: string): string[] {
  const chunks: string[] = [];
  for (let at = 0; at < text.length; at += CHUNK_SIZE) chunks.push(text.slice(at, at + CHUNK_SIZE));
  return chunks;
}

function timeExtraction(chunks: string[]): { ms: number; files: number } {
  const started = performance.now();
  const extractor = new FileStreamExtractor();
  let files = 0;
  for (const piece of chunks) files += extractor.push(piece).length;
  files += extractor.end().files.length;
  return { ms: performance.now() - started, files };
}

function medianMs(chunks: string[]): { ms: number; files: number } {
  timeExtraction(chunks);
  const runs = Array.from({ length: RUNS }, () => timeExtraction(chunks));
  return { ms: median(runs.map((run) => run.ms)), files: runs[0]!.files };
}

const suite: BenchSuite = async () => {
  const big = buildReply(10 * MB);
  const bigBytes = Buffer.byteLength(big);
  const bigRun = medianMs(chunk(big));
  const throughput = bigBytes / MB / (bigRun.ms / 1000);

  const small = buildReply(MB);
  const tenfold = small.repeat(10);
  const smallRun = medianMs(chunk(small));
  const tenfoldRun = medianMs(chunk(tenfold));
  const scaling = tenfoldRun.ms / smallRun.ms;

  return [
    {
      name: `extractor throughput, ${(bigBytes / MB).toFixed(1)} MB reply in ${CHUNK_SIZE}-byte chunks`,
      value: throughput,
      unit: 'MB/s',
      target: '≥ 100 MB/s',
      meets: throughput >= 100,
      detail: `${bigRun.ms.toFixed(1)} ms for ${bigRun.files} files (median of ${RUNS}, MB = 10^6 bytes)`,
    },
    {
      name: 'extractor scaling: 10x input time / 1x input time',
      value: scaling,
      unit: 'x',
      target: '≤ 12x',
      meets: scaling <= 12,
      detail: `${tenfoldRun.ms.toFixed(1)} ms for ${(tenfold.length / MB).toFixed(1)} MB vs ${smallRun.ms.toFixed(1)} ms for ${(small.length / MB).toFixed(1)} MB (medians of ${RUNS})`,
    },
  ];
};

export default suite;
