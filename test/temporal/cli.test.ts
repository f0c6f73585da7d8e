import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { logisticMap, sines } from '../../src/temporal/index.js';

// Runs the compiled CLI (`npm test` builds first via pretest), as users and tools do.
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/midstream.js', 'temporal', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir = '';
const file = (name: string, content: string): string => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'midstream-temporal-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('midstream temporal (CLI contract)', () => {
  it('lyapunov --json gives λ per time unit, the embedding and the fit', () => {
    const f = file('logistic.txt', Array.from(logisticMap(3000)).join('\n'));
    const r = cli('lyapunov', f, '--json', '--dt', '0.5');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out).sort()).toEqual(['fit', 'lambda', 'lambdaPerStep', 'm', 'n', 'tau']);
    expect(Math.abs((out['lambdaPerStep'] as number) / Math.LN2 - 1)).toBeLessThan(0.1);
    expect(out['lambda']).toBeCloseTo((out['lambdaPerStep'] as number) / 0.5, 10);
    expect(Object.keys(out['fit'] as object).sort()).toEqual(['from', 'r2', 'to']);
    expect(out['n']).toBe(3000);
  });

  it('classify --json names the class and, for a periodic series, its period in time units', () => {
    // Whitespace of any kind separates numbers.
    const f = file('sine.txt', Array.from(sines(2000, 0.01, [{ freq: 2 }])).map((v, i) => (i % 3 ? ` ${v}` : `\n${v}\t`)).join(''));
    const r = cli('classify', f, '--dt', '0.01', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { class: string; lambda: number; period: number; confidence: number };
    expect(out.class).toBe('periodic');
    expect(out.period).toBeCloseTo(0.5, 2);
    expect(out.confidence).toBeGreaterThan(0.5);
    expect(typeof out.lambda).toBe('number');
  });

  it('dtw --json gives the distance and the warping path; --band restricts it', () => {
    const a = file('a.txt', '0 1 2 3 2 1 0');
    const b = file('b.txt', '0 0 1 2 3 2 1 0');
    const r = cli('dtw', a, b, '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { distance: number; path: [number, number][] };
    expect(out.distance).toBe(0);
    expect(out.path[0]).toEqual([0, 0]);
    expect(out.path.at(-1)).toEqual([6, 7]);
    const banded = JSON.parse(cli('dtw', a, b, '--band', '1', '--json').stdout) as { distance: number };
    expect(banded.distance).toBe(0);
    expect(cli('dtw', a, b, '--band', '0').code).toBe(2);
  });

  it('embed --json gives tau and m; without --json a one-line summary', () => {
    const f = file('henon-like.txt', Array.from(logisticMap(1500)).join(' '));
    const out = JSON.parse(cli('embed', f, '--json').stdout) as { tau: number; m: number };
    expect(out).toEqual({ tau: 1, m: expect.any(Number) as number });
    expect(cli('embed', f).stdout).toMatch(/^tau 1 samples, m \d+\n$/);
  });

  it('rejects bad input with one clear line and exit code 2, never a stack trace', () => {
    const cases: [string[], RegExp][] = [
      [['lyapunov', file('empty.txt', ' \n\t')], /no numbers/],
      [['classify', file('words.txt', '1 2 three 4')], /"three" \(value 3\) is not a finite number/],
      [['lyapunov', file('const.txt', Array(400).fill('7').join('\n'))], /constant/],
      [['classify', file('short.txt', '1 2 3 4 5')], /5 values; classification needs at least/],
      [['embed', path.join(dir, 'missing.txt')], /cannot read/],
      [['lyapunov', file('nan.txt', 'NaN 1 2')], /not a finite number/],
      [['lyapunov', file('ok.txt', '1 2'), '--dt', '0'], /--dt must be a positive number/],
    ];
    for (const [args, message] of cases) {
      const r = cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stdout).toBe('');
    }
  });
});
