import { SpeedRunError } from '../../errors.js';
import type { SourceFile } from '../race-types.js';

export interface Implementation {
  runner: string;
  files: SourceFile[];
}

export interface SimilarityPair {
  a: string;
  b: string;
  /** Jaccard similarity of the two implementations' token 5-shingles, 0..1, 3 decimals. */
  similarity: number;
}

export const SHINGLE_TOKENS = 5;
export const NEAR_DUPLICATE_THRESHOLD = 0.95;

// Identifiers, numbers, then any other single non-space character: formatting and whitespace drop out.
const TOKEN = /[A-Za-z_$][\w$]*|\d[\w.]*|\S/g;

/** Every run of SHINGLE_TOKENS consecutive tokens within one file (a shorter file is one shingle). */
function shingles(files: SourceFile[]): Set<string> {
  const found = new Set<string>();
  for (const file of files) {
    const tokens = file.content.match(TOKEN) ?? [];
    if (tokens.length > 0 && tokens.length < SHINGLE_TOKENS) found.add(tokens.join(' '));
    for (let start = 0; start + SHINGLE_TOKENS <= tokens.length; start += 1) {
      found.add(tokens.slice(start, start + SHINGLE_TOKENS).join(' '));
    }
  }
  return found;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const shingle of a) if (b.has(shingle)) shared += 1;
  return shared / (a.size + b.size - shared);
}

/** Similarity of every pair of implementations, in input order (a before b). File paths are ignored. */
export function pairwiseSimilarity(implementations: Implementation[]): SimilarityPair[] {
  const sets = implementations.map((implementation) => shingles(implementation.files));
  const pairs: SimilarityPair[] = [];
  implementations.forEach((first, i) => {
    for (let j = i + 1; j < implementations.length; j += 1) {
      const similarity = Math.round(jaccard(sets[i] as Set<string>, sets[j] as Set<string>) * 1000) / 1000;
      pairs.push({ a: first.runner, b: (implementations[j] as Implementation).runner, similarity });
    }
  });
  return pairs;
}

/** The pairs at or above `threshold`. */
export function flagNearDuplicates(
  pairs: SimilarityPair[],
  threshold = NEAR_DUPLICATE_THRESHOLD,
): SimilarityPair[] {
  if (!(threshold > 0 && threshold <= 1)) {
    throw new SpeedRunError('invalid_input', `threshold must be above 0 and at most 1, got ${threshold}.`, {
      field: 'threshold',
      hint: `Leave it out for the default, ${NEAR_DUPLICATE_THRESHOLD}.`,
    });
  }
  return pairs.filter((pair) => pair.similarity >= threshold);
}
