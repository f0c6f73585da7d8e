/**
 * Settings of the OpenAI Realtime bridge, apart from the bridge so that the CLI can read them
 * without loading the openai client.
 */
export interface RealtimeConfig {
  apiKey: string;
  /** API base; `OPENAI_BASE_URL` when unset. The client dials `wss://<base>/realtime?model=`. */
  baseURL?: string;
  /** Realtime model of the session (the URL's `model`). */
  model: string;
  /** Model that transcribes the input audio. */
  transcriptionModel: string;
  /** Let the model answer each turn in text (`response.output_text.*`); off: transcripts only. */
  respond: boolean;
  /** Instructions for the answers (with `respond`). */
  instructions?: string;
  /** Extra trusted CA certificates (PEM) for the TLS connection (tests: a local server). */
  ca?: string;
  /** How long a stream's end waits for its last transcripts, ms (default 1000, within the 5 s end budget). */
  drainMs?: number;
}

export const REALTIME_DEFAULTS = { model: 'gpt-realtime', transcriptionModel: 'gpt-4o-transcribe' } as const;

/** The Realtime settings from the environment: set iff OPENAI_API_KEY is. */
export function realtimeFromEnv(env: NodeJS.ProcessEnv = process.env): RealtimeConfig | null {
  const apiKey = env['OPENAI_API_KEY'];
  if (!apiKey) return null;
  return {
    apiKey,
    ...(env['OPENAI_BASE_URL'] ? { baseURL: env['OPENAI_BASE_URL'] } : {}),
    model: env['MIDSTREAM_REALTIME_MODEL'] || REALTIME_DEFAULTS.model,
    transcriptionModel: env['MIDSTREAM_TRANSCRIPTION_MODEL'] || REALTIME_DEFAULTS.transcriptionModel,
    respond: env['MIDSTREAM_REALTIME_RESPOND'] === '1',
  };
}
