import type * as OpenAIModule from 'openai';

type OpenAISdk = typeof OpenAIModule;

let loading: Promise<OpenAISdk> | undefined;
let loaded: OpenAISdk | undefined;

/** The openai SDK, imported on first use so that `speed-run mcp` answers `initialize` without paying for it. */
export function loadOpenAI(): Promise<OpenAISdk> {
  loading ??= import('openai').then((module) => (loaded = module));
  return loading;
}

/** The SDK once any client was created. An SDK error cannot exist before that, so `instanceof` checks use this. */
export function openAIIfLoaded(): OpenAISdk | undefined {
  return loaded;
}
