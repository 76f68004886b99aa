/** Where a streaming generation is, for live displays (turbo's line, the race board). */
export type GenerationPhase = 'waiting for the first token' | 'reasoning' | 'writing';

export interface GenerationProgress {
  phase: GenerationPhase;
  /** Streamed deltas so far (reasoning and content): about one token each. */
  tokens: number;
}

/** Counts a generation's deltas (generateFiles' `onDelta` hook) into its progress. */
export function progressCounter(
  report: (progress: GenerationProgress) => void,
): (kind: 'reasoning' | 'content') => void {
  let tokens = 0;
  return (kind) => {
    tokens += 1;
    report({ phase: kind === 'reasoning' ? 'reasoning' : 'writing', tokens });
  };
}
