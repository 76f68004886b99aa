/** Prompts may ask the model to write this word instead of a literal fence inside file content. */
export const TRIPLE_BACKTICK_PLACEHOLDER = 'TRIPLE_BACKTICK';

export function restorePlaceholders(content: string): string {
  return content.includes(TRIPLE_BACKTICK_PLACEHOLDER)
    ? content.replaceAll(TRIPLE_BACKTICK_PLACEHOLDER, '```')
    : content;
}
