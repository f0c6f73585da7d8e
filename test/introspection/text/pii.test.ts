import { describe, expect, it } from 'vitest';
import { inspectText, PII_TYPES, type Finding, type PiiType } from '../../../src/introspection/text/index.js';
import { ibanValid, innValid, luhnValid, snilsValid, ssnValid } from '../../../src/introspection/text/pii/validators.js';
import { makePiiDoc, type Label } from './fixtures/pii-set.js';
import { Rng } from './fixtures/rng.js';

const DOCS = 400;

interface Tally { tp: number; fp: number; fn: number }

function score(labels: readonly Label[], found: readonly Finding[], tally: Map<PiiType, Tally>): void {
  const pii = found.filter((f): f is Finding & { type: PiiType } => (PII_TYPES as readonly string[]).includes(f.type));
  const matched = new Set<Finding>();
  for (const l of labels) {
    const t = tally.get(l.type) ?? { tp: 0, fp: 0, fn: 0 };
    tally.set(l.type, t);
    const hit = pii.find((f) => f.type === l.type && f.start === l.start && f.end === l.end);
    if (hit) {
      t.tp += 1;
      matched.add(hit);
    } else {
      t.fn += 1;
    }
  }
  for (const f of pii) {
    if (matched.has(f)) continue;
    const t = tally.get(f.type) ?? { tp: 0, fp: 0, fn: 0 };
    tally.set(f.type, t);
    t.fp += 1;
  }
}

describe('PII redaction on a labelled EN/RU set with decoys', () => {
  it('reaches precision and recall >= 0.95 per type, whole and in random chunks, with identical output', () => {
    const rng = new Rng(20261125);
    const tally = new Map<PiiType, Tally>();
    const misses: string[] = [];
    for (let d = 0; d < DOCS; d += 1) {
      const doc = makePiiDoc(rng);
      const whole = inspectText(doc.text);
      const chunked = inspectText(rng.chunks(doc.text, rng.pick([1, 3, 8, 40])));
      expect(chunked).toEqual(whole);
      score(doc.labels, whole.findings, tally);
      for (const l of doc.labels) {
        if (!whole.findings.some((f) => f.type === l.type && f.start === l.start && f.end === l.end) && misses.length < 10) {
          misses.push(`${l.type} missed: ${JSON.stringify(doc.text.slice(Math.max(0, l.start - 30), l.end + 10))}`);
        }
      }
      // the output is the input with exactly the redacted spans replaced
      let rebuilt = '';
      let at = 0;
      for (const f of whole.findings.filter((x) => x.type !== 'TOXIC' && x.type !== 'LOOP')) {
        rebuilt += doc.text.slice(at, f.start) + `[${f.type}]`;
        at = f.end;
      }
      expect(whole.output).toBe(rebuilt + doc.text.slice(at));
    }
    const rows = PII_TYPES.map((type) => {
      const t = tally.get(type) ?? { tp: 0, fp: 0, fn: 0 };
      return { type, labelled: t.tp + t.fn, tp: t.tp, fp: t.fp, fn: t.fn, precision: t.tp / Math.max(1, t.tp + t.fp), recall: t.tp / Math.max(1, t.tp + t.fn) };
    });
    console.log(`PII labelled set: ${DOCS} documents, each also in random chunks`);
    console.table(rows.map((r) => ({ ...r, precision: r.precision.toFixed(3), recall: r.recall.toFixed(3) })));
    if (misses.length > 0) console.log(misses.join('\n'));
    for (const r of rows) {
      expect(r.labelled, r.type).toBeGreaterThan(20);
      expect(r.precision, `${r.type} precision`).toBeGreaterThanOrEqual(0.95);
      expect(r.recall, `${r.type} recall`).toBeGreaterThanOrEqual(0.95);
    }
  });
});

describe('validators', () => {
  it('Luhn accepts test card numbers and rejects a changed digit', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('378282246310005')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
  });
  it('IBAN mod-97 accepts the ISO 13616 examples and rejects a changed digit', () => {
    expect(ibanValid('DE89370400440532013000')).toBe(true);
    expect(ibanValid('GB82WEST12345698765432')).toBe(true);
    expect(ibanValid('DE89370400440532013001')).toBe(false);
  });
  it('SNILS and INN checksums', () => {
    expect(snilsValid('11223344595')).toBe(true);
    expect(snilsValid('11223344596')).toBe(false);
    expect(innValid('7707083893')).toBe(true);
    expect(innValid('7707083894')).toBe(false);
    expect(innValid('500100732259')).toBe(true);
    expect(innValid('500100732258')).toBe(false);
  });
  it('SSN invalid ranges', () => {
    expect(ssnValid('123456789')).toBe(true);
    for (const bad of ['000123456', '666123456', '900123456', '123006789', '123450000']) expect(ssnValid(bad), bad).toBe(false);
  });
});

describe('redaction details', () => {
  it('replaces each span by [TYPE] and keeps the rest byte for byte', () => {
    const r = inspectText('Email a.b@example.com, SSN 123-45-6789; ok.');
    expect(r.output).toBe('Email [EMAIL], SSN [SSN]; ok.');
  });
  it('swallows a PEM private key block whole, even when it never ends', () => {
    const key = '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nAAAA\n-----END RSA PRIVATE KEY-----';
    expect(inspectText(`before ${key} after`).output).toBe('before [SECRET] after');
    expect(inspectText(`before ${key.slice(0, 40)}`).output).toBe('before [SECRET]');
  });
  it('does not flag dates, versions, order numbers or phone-like IDs', () => {
    const text = 'Released 2.14.1.3 on 2024-03-12; order 4111111111111111; ID 8-912-345-67-89; at 12:30:45.';
    expect(inspectText(text).findings).toEqual([]);
  });
});
