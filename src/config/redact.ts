const REDACTED = '[redacted]';
/** Shorter "secrets" would shred ordinary text; real keys are far longer. */
const MIN_SECRET_LENGTH = 4;

/**
 * Replaces every occurrence of each secret in `text` with `[redacted]`, including the forms a secret takes on
 * the way through HTTP and JSON: URL-encoded, JSON-escaped, base64 (alone or as Basic-auth `user:secret`).
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  for (const form of secretForms(secrets)) result = result.split(form).join(REDACTED);
  return result;
}

/** Every form each secret may take in text, longest first (so a form that contains another is replaced whole). */
function secretForms(secrets: readonly (string | undefined)[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret === undefined) continue;
    const trimmed = secret.trim();
    for (const value of new Set([secret, trimmed])) {
      if (value.length < MIN_SECRET_LENGTH) continue;
      forms.add(value);
      forms.add(encodeURIComponent(value));
      forms.add(JSON.stringify(value).slice(1, -1));
      forms.add(base64(value));
      forms.add(base64(`:${value}`));
      forms.add(base64(`${value}:`));
    }
  }
  return [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

/**
 * `redactSecrets` applied to every string (keys included) of a JSON-like value; returns a copy. For structured
 * results and records (tool results, manifests) before they leave the process or reach the disk.
 */
export function redactDeep<T>(value: T, secrets: readonly (string | undefined)[]): T {
  if (secretForms(secrets).length === 0) return value;
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') return redactSecrets(item, secrets);
    if (Array.isArray(item)) return item.map(walk);
    if (item !== null && typeof item === 'object') {
      return Object.fromEntries(
        Object.entries(item).map(([key, entry]) => [redactSecrets(key, secrets), walk(entry)]),
      );
    }
    return item;
  };
  return walk(value) as T;
}

/**
 * Redacts a stream of text (a command's output on its way to a log file) chunk by chunk: it holds back just
 * enough of the end of each chunk that a secret split across two chunks is still caught. `push` returns what
 * may be written now; `end` returns the rest.
 */
export function createStreamRedactor(secrets: readonly (string | undefined)[]): {
  push(chunk: string): string;
  end(): string;
} {
  const forms = secretForms(secrets);
  const holdBack = Math.max(0, ...forms.map((form) => form.length - 1));
  let pending = '';
  return {
    push(chunk) {
      if (forms.length === 0) return chunk;
      const text = redactSecrets(pending + chunk, secrets);
      // Never cut inside a [redacted] marker or a secret's possible beginning.
      let cut = Math.max(0, text.length - holdBack);
      const marker = text.lastIndexOf(REDACTED, cut);
      if (marker !== -1 && marker + REDACTED.length > cut) cut = marker + REDACTED.length;
      pending = text.slice(cut);
      return text.slice(0, cut);
    },
    end() {
      const rest = redactSecrets(pending, secrets);
      pending = '';
      return rest;
    },
  };
}

function base64(value: string): string {
  // Padding varies with the surrounding text, so match the unpadded form.
  return Buffer.from(value, 'utf8').toString('base64').replace(/=+$/, '');
}
