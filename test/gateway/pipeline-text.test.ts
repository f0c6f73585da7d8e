import { afterAll, describe, expect, it } from 'vitest';
import { AnalysisPipeline } from '../../src/gateway/analysis-pipeline.js';
import { TemporalPool } from '../../src/gateway/temporal-pool.js';
import { FrameBus } from '../../src/media/frame-bus.js';
import { silentLogger } from '../../src/media/logger.js';
import type { AnalysisEvent } from '../../src/media/types.js';

const temporal = new TemporalPool(silentLogger());
afterAll(() => temporal.close());

function pipeline(): { p: AnalysisPipeline; events: AnalysisEvent[] } {
  const events: AnalysisEvent[] = [];
  const p = new AnalysisPipeline({ streamId: 's', bus: new FrameBus(), publish: (e) => events.push(e), logger: silentLogger(), temporal, moderation: null });
  return { p, events };
}

describe('text through the analysis pipeline', () => {
  it('redacts PII across token boundaries and raises text and alert events with the item pts', () => {
    const { p, events } = pipeline();
    const tokens = ['Write to me at jo', 'hn.smith@exam', 'ple.com or call ', '+1 415 555 0132', ' today.'];
    tokens.forEach((text, i) => p.pushText({ streamId: 's', source: 'transcript', itemId: 'item-1', text, pts: 1000 }, i === tokens.length - 1));
    const output = events.filter((e) => e.type === 'redacted').map((e) => (e.data as { output: string }).output).join('');
    expect(output).toBe('Write to me at [EMAIL] or call [PHONE] today.');
    const pii = events.filter((e) => e.channel === 'text' && e.type === 'pii').map((e) => (e.data as { findingType: string }).findingType);
    expect(pii.sort()).toEqual(['EMAIL', 'PHONE']);
    expect(events.filter((e) => e.channel === 'alerts')).toHaveLength(2);
    expect(events.every((e) => e.pts === 1000)).toBe(true);
    expect(output).not.toContain('john');
  });

  it('keeps items apart and flags a degenerate loop', () => {
    const { p, events } = pipeline();
    p.pushText({ streamId: 's', source: 'response', itemId: 'a', text: 'Hello there. ', pts: 0 });
    for (let i = 0; i < 6; i += 1) p.pushText({ streamId: 's', source: 'response', itemId: 'b', text: 'I will keep repeating this sentence forever. ', pts: 5 });
    p.pushText({ streamId: 's', source: 'response', itemId: 'b', text: '', pts: 5 }, true);
    p.pushText({ streamId: 's', source: 'response', itemId: 'a', text: 'Bye.', pts: 0 }, true);
    const loops = events.filter((e) => e.type === 'loop');
    expect(loops.length).toBeGreaterThan(0);
    expect(loops.every((e) => (e.data as { itemId: string }).itemId === 'b')).toBe(true);
    const a = events.filter((e) => e.type === 'redacted' && (e.data as { itemId: string }).itemId === 'a').map((e) => (e.data as { output: string }).output).join('');
    expect(a).toBe('Hello there. Bye.');
  });
});
