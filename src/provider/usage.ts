/** Token counts as the provider reported them. */
export interface Usage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Reasoning tokens inside completionTokens, when the provider says. */
  reasoningTokens?: number;
}

/** Usage as results report it (snake_case); null when the provider sent none, never invented zeros. */
export interface UsageReport {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  reasoning_tokens?: number;
}

export function usageReport(usage: Usage | null): UsageReport | null {
  if (usage === null) return null;
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.totalTokens,
    ...(usage.reasoningTokens === undefined ? {} : { reasoning_tokens: usage.reasoningTokens }),
  };
}
