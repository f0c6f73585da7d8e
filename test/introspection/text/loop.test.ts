import { describe, expect, it } from 'vitest';
import { inspectText } from '../../../src/introspection/text/index.js';
import { healthyDoc, loopDoc } from './fixtures/loop-set.js';
import { Rng } from './fixtures/rng.js';

const LOOPS = 400;
const HEALTHY = 400;

describe('LOOP detection on labelled loops and healthy text', () => {
  it('catches >= 95 % of loops within three copies of the unit, with <= 2 % false alarms', () => {
    const rng = new Rng(7);
    const caught = new Map<string, { n: number; caught: number }>();
    const misses: string[] = [];
    for (let i = 0; i < LOOPS; i += 1) {
      const doc = loopDoc(rng);
      const whole = inspectText(doc.text, { toxicity: false });
      expect(inspectText(rng.chunks(doc.text, rng.pick([1, 5, 30])), { toxicity: false })).toEqual(whole);
      const loops = whole.findings.filter((f) => f.type === 'LOOP');
      const ok = loops.some((f) => f.end <= doc.thirdCopyEnd && Math.abs(f.start - doc.loopStart) <= doc.unitChars);
      const k = caught.get(doc.kind) ?? { n: 0, caught: 0 };
      caught.set(doc.kind, k);
      k.n += 1;
      if (ok) k.caught += 1;
      else if (misses.length < 5) misses.push(`${doc.kind} missed (${JSON.stringify(loops)}, start ${doc.loopStart}, third ends ${doc.thirdCopyEnd}): ${JSON.stringify(doc.text.slice(doc.loopStart, doc.thirdCopyEnd + 20))}`);
    }
    let alarms = 0;
    const alarmTexts: string[] = [];
    for (let i = 0; i < HEALTHY; i += 1) {
      const text = healthyDoc(rng);
      const loops = inspectText(text, { toxicity: false }).findings.filter((f) => f.type === 'LOOP');
      if (loops.length > 0) {
        alarms += 1;
        const f = loops[0];
        if (f && alarmTexts.length < 5) alarmTexts.push(JSON.stringify(text.slice(f.start, f.end)));
      }
    }
    const total = [...caught.values()].reduce((a, b) => ({ n: a.n + b.n, caught: a.caught + b.caught }), { n: 0, caught: 0 });
    console.log('LOOP labelled set (caught = found by the end of the third copy, start within one unit)');
    console.table([...caught.entries()].map(([kind, k]) => ({ kind, loops: k.n, caught: k.caught, rate: (k.caught / k.n).toFixed(3) })));
    console.log(`loops caught ${total.caught}/${total.n} = ${(total.caught / total.n).toFixed(3)}; false alarms ${alarms}/${HEALTHY} = ${(alarms / HEALTHY).toFixed(3)}`);
    if (misses.length > 0) console.log(misses.join('\n'));
    if (alarmTexts.length > 0) console.log(`false alarms on: ${alarmTexts.join('\n')}`);
    expect(total.caught / total.n).toBeGreaterThanOrEqual(0.95);
    expect(alarms / HEALTHY).toBeLessThanOrEqual(0.02);
  });

  it('reports one finding per loop, starting at the first copy', () => {
    const head = 'We looked at the numbers together. ';
    const text = head + 'I will check the logs again now. '.repeat(6) + 'Done.';
    const loops = inspectText(text).findings.filter((f) => f.type === 'LOOP');
    expect(loops).toHaveLength(1);
    expect(loops[0]?.start).toBe(head.length);
  });

  it('does not flag a changelog, a table or a numbered list', () => {
    const changelog = ['- Fixed a crash in the parser (#101)', '- Fixed a crash in the lexer (#102)', '- Fixed a crash in the printer (#103)', '- Fixed a crash in the checker (#104)'].join('\n');
    const tableText = ['| a | b |', '|---|---|', '| 1 | 2 |', '| 3 | 4 |', '| 5 | 6 |'].join('\n');
    const list = ['1. Call the bank', '2. Call the office', '3. Call the school', '4. Call the shop'].join('\n');
    for (const t of [changelog, tableText, list]) expect(inspectText(t).findings.filter((f) => f.type === 'LOOP'), t).toEqual([]);
  });
});
