import type { OpenAI } from 'openai';

/**
 * The OpenAI moderation endpoint behind a narrow interface, so the sentence moderator can be
 * tested against a local fake and the gateway can choose the client.
 */
export interface ModerationVerdict {
  readonly flagged: boolean;
  /** Highest category score, in [0, 1]. */
  readonly score: number;
  /** Names of the flagged categories. */
  readonly categories: readonly string[];
}

export interface ModerationClient {
  moderate(text: string, signal: AbortSignal): Promise<ModerationVerdict>;
}

/** `client.moderations.create` (openai@6) with the omni moderation model. */
export function openAIModeration(client: Pick<OpenAI, 'moderations'>, model = 'omni-moderation-latest'): ModerationClient {
  return {
    async moderate(text, signal) {
      const res = await client.moderations.create({ model, input: text }, { signal });
      const result = res.results[0];
      if (result === undefined) return { flagged: false, score: 0, categories: [] };
      const scores = Object.entries(result.category_scores as unknown as Record<string, number>);
      const flags = result.categories as unknown as Record<string, boolean | null>;
      return {
        flagged: result.flagged,
        score: scores.reduce((m, [, v]) => Math.max(m, v), 0),
        categories: Object.keys(flags).filter((k) => flags[k] === true),
      };
    },
  };
}

/**
 * The OpenAI moderation client when OPENAI_API_KEY is set, else undefined. The openai
 * package is loaded on first use only, so importing text introspection stays cheap; the
 * client honours OPENAI_BASE_URL like the rest of the gateway.
 */
export function moderationFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): ModerationClient | undefined {
  const apiKey = env['OPENAI_API_KEY'];
  if (apiKey === undefined || apiKey === '') return undefined;
  let inner: Promise<ModerationClient> | undefined;
  return {
    moderate(text, signal) {
      inner ??= import('openai').then(({ OpenAI }) => {
        const baseURL = env['OPENAI_BASE_URL'];
        return openAIModeration(new OpenAI({ apiKey, ...(baseURL ? { baseURL } : {}) }));
      });
      return inner.then((client) => client.moderate(text, signal));
    },
  };
}
