import { SpeedRunError } from '../errors.js';

/**
 * A usable setting value, or undefined when it is unset, empty, whitespace, or still an unexpanded
 * `${...}` placeholder (plugin hosts pass those through when the variable is missing).
 */
export function usableValue(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.includes('${')) return undefined;
  return trimmed;
}

export interface NumberRule {
  /** Whole numbers only. */
  integer?: boolean;
  /** Smallest allowed value (default 1 for integers, otherwise anything above 0). */
  min?: number;
  /** Words for the message, e.g. "seconds". */
  unit?: string;
}

/** Parses a numeric setting; a bad value is a `config` error naming the setting and the value. */
export function parseNumberSetting(name: string, raw: string | number, rule: NumberRule = {}): number {
  const value = typeof raw === 'number' ? raw : raw.trim() === '' ? Number.NaN : Number(raw.trim());
  const min = rule.min ?? (rule.integer ? 1 : 0);
  const exclusive = rule.min === undefined && !rule.integer;
  const valid =
    Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    (exclusive ? value > min : value >= min);
  if (valid) return value;
  const expected = rule.integer
    ? `a whole number${min > 0 ? ` of at least ${min}` : ' (0 or more)'}`
    : 'a positive number';
  throw new SpeedRunError(
    'config',
    `${name} must be ${expected}${rule.unit ? ` of ${rule.unit}` : ''}; got ${JSON.stringify(String(raw))}.`,
    {
      field: name,
      hint: `Fix or unset ${name}.`,
    },
  );
}
