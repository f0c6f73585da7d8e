import { describe, expect, it } from 'vitest';
import { moderationFromEnv, openAIModeration, TextInspector, type Finding, type ModerationClient, type ModerationVerdict } from '../../../src/introspection/text/index.js';

/** A local fake of the moderation endpoint whose answers the test releases by hand. */
class FakeModeration implements ModerationClient {
  readonly requests: { text: string; resolve: (v: ModerationVerdict) => void; reject: (e: unknown) => void }[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private waiters: { n: number; wake: () => void }[] = [];
  moderate(text: string): Promise<ModerationVerdict> {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    return new Promise<ModerationVerdict>((resolve, reject) => {
      this.requests.push({ text, resolve, reject });
      for (const w of this.waiters.filter((x) => x.n <= this.requests.length)) w.wake();
    }).finally(() => {
      this.inFlight -= 1;
    });
  }
  /** Resolves once `n` requests have arrived (the test's own timeout bounds the wait). */
  until(n: number): Promise<void> {
    if (this.requests.length >= n) return Promise.resolve();
    return new Promise((wake) => this.waiters.push({ n, wake }));
  }
}

const text = 'Hello there, my card is 4111 1111 1111 1111. I will hurt you badly! Have a nice day.';

describe('background moderation of completed sentences', () => {
  it('never blocks the token flow and reports flagged sentences later with whole-text offsets', async () => {
    const fake = new FakeModeration();
    const late: Finding[] = [];
    const inspector = new TextInspector({ moderation: fake, onLateFinding: (f) => late.push(f), batchChars: 1 });
    let output = '';
    for (const ch of text) output += inspector.push(ch).output; // returns while every request is still pending
    output += inspector.end().output;
    expect(output).toBe('Hello there, my card is [CARD]. I will hurt you badly! Have a nice day.');
    await fake.until(2);
    expect(late).toEqual([]);
    // PII never leaves: the moderator sees [CARD]
    expect(fake.requests[0]?.text).toBe('Hello there, my card is [CARD].');
    fake.requests[0]?.resolve({ flagged: false, score: 0.01, categories: [] });
    fake.requests[1]?.resolve({ flagged: true, score: 0.93, categories: ['violence'] });
    await fake.until(3);
    fake.requests[2]?.resolve({ flagged: false, score: 0, categories: [] });
    await inspector.settled();
    const threat = 'I will hurt you badly!';
    expect(late).toEqual([{ type: 'TOXIC', start: text.indexOf(threat), end: text.indexOf(threat) + threat.length, score: 0.93 }]);
    expect(fake.maxInFlight).toBeLessThanOrEqual(2);
  });

  it('survives a failing moderation service and reports the error', async () => {
    const fake = new FakeModeration();
    const errors: unknown[] = [];
    const inspector = new TextInspector({ moderation: fake, onLateFinding: () => undefined, onModerationError: (e) => errors.push(e) });
    inspector.push('One sentence. ');
    inspector.end();
    await fake.until(1);
    fake.requests[0]?.reject(new Error('503'));
    await inspector.settled();
    expect(errors).toHaveLength(1);
  });

  it('maps the openai@6 moderations.create response', async () => {
    let seen: unknown;
    const client = {
      moderations: {
        create: (body: unknown) => {
          seen = body;
          return Promise.resolve({
            id: 'm', model: 'omni-moderation-latest',
            results: [{ flagged: true, categories: { harassment: true, violence: false }, category_scores: { harassment: 0.8, violence: 0.1 }, category_applied_input_types: {} }],
          });
        },
      },
    } as unknown as Parameters<typeof openAIModeration>[0];
    const verdict = await openAIModeration(client).moderate('x', new AbortController().signal);
    expect(seen).toEqual({ model: 'omni-moderation-latest', input: 'x' });
    expect(verdict).toEqual({ flagged: true, score: 0.8, categories: ['harassment'] });
  });

  it('is off without OPENAI_API_KEY and on with it', () => {
    expect(moderationFromEnv({})).toBeUndefined();
    expect(moderationFromEnv({ OPENAI_API_KEY: '' })).toBeUndefined();
    expect(typeof moderationFromEnv({ OPENAI_API_KEY: 'sk-test' })?.moderate).toBe('function');
  });
});
