const REDACTED = '[redacted]';
/** Shorter "secrets" would shred ordinary text; real keys are far longer. */
const MIN_SECRET_LENGTH = 4;

/**
 * Replaces every occurrence of each secret in `text` with `[redacted]`, including the forms a secret takes on
 * the way through HTTP and JSON: URL-encoded, JSON-escaped, base64 (alone or as Basic-auth `user:secret`).
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
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
  // Longest first, so a form that contains another is replaced whole.
  let result = text;
  for (const form of [...forms].sort((a, b) => b.length - a.length)) {
    if (form.length >= MIN_SECRET_LENGTH) result = result.split(form).join(REDACTED);
  }
  return result;
}

function base64(value: string): string {
  // Padding varies with the surrounding text, so match the unpadded form.
  return Buffer.from(value, 'utf8').toString('base64').replace(/=+$/, '');
}
