// Replays a reply through FileStreamExtractor in many chunkings and checks every one agrees with the one-shot form.
import assert from 'node:assert/strict';
import { extractFiles, FileStreamExtractor } from '../../src/extract/file-stream-extractor.js';
import type { ExtractionResult } from '../../src/extract/file-stream-extractor.js';

export function extractChunks(chunks: Iterable<string>): ExtractionResult {
  const extractor = new FileStreamExtractor();
  const files = [];
  for (const chunk of chunks) files.push(...extractor.push(chunk));
  const rest = extractor.end();
  return { files: [...files, ...rest.files], unclosed: rest.unclosed };
}

/** A small seeded generator (mulberry32), so a failing chunking can be reproduced. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomChunks(text: string, seed: number, maxSize: number): string[] {
  const random = seededRandom(seed);
  const chunks: string[] = [];
  for (let at = 0; at < text.length;) {
    const size = 1 + Math.floor(random() * maxSize);
    chunks.push(text.slice(at, at + size));
    at += size;
  }
  return chunks;
}

export function charChunks(text: string): string[] {
  return Array.from({ length: text.length }, (_, i) => text[i]!);
}

/**
 * Asserts the one-shot result equals `expected`, then that the same comes out when the text is split at every
 * position, fed one character at a time, and in a few random chunkings.
 */
export function assertExtracts(
  text: string,
  expected: ExtractionResult,
  options: { everySplit?: boolean } = {},
) {
  assert.deepEqual(extractFiles(text), expected, 'one-shot');
  if (options.everySplit ?? true) {
    for (let i = 0; i <= text.length; i++) {
      assert.deepEqual(extractChunks([text.slice(0, i), text.slice(i)]), expected, `split at ${i}`);
    }
  }
  assert.deepEqual(extractChunks(charChunks(text)), expected, 'one character per chunk');
  for (let seed = 1; seed <= 10; seed++) {
    const maxSize = [2, 7, 64][seed % 3]!;
    assert.deepEqual(
      extractChunks(randomChunks(text, seed, maxSize)),
      expected,
      `random chunks, seed ${seed}`,
    );
  }
}
