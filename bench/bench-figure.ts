/** One measured figure, printed as a ratio against a baseline measured in the same run. */
export interface BenchFigure {
  /** What was measured, e.g. "generate_and_write_files wall time / bare streaming read". */
  name: string;
  /** The measured value divided by the baseline (or an absolute value when `unit` says so). */
  value: number;
  /** 'x' for a ratio, or an absolute unit such as 'MB/s', 'ms', 'MB'. */
  unit: string;
  /** The target from the issue, as text, e.g. "≤ 1.03x". */
  target: string;
  /** Whether the figure meets the target. Benchmarks report; they never fail the run. */
  meets: boolean;
  /** The raw numbers behind the figure, e.g. "1234 ms vs 1200 ms (median of 5)". */
  detail: string;
}

export type BenchSuite = () => Promise<BenchFigure[]>;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) throw new Error('median of no values');
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
