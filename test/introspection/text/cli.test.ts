import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';

/** Runs `node bin/midstream.js inspect-text --jsonl` (dist/ built by `npm run build`) on the given stdin. */
async function run(stdin: string, args = ['inspect-text', '--jsonl']): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['bin/midstream.js', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.end(stdin);
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

describe('midstream inspect-text --jsonl', () => {
  it('answers one line per input line, chunks like text, and errors per malformed line', async () => {
    const text = 'Пишите на ivan@mail.ru или звоните +7 (912) 345-67-89.';
    const lines = [
      JSON.stringify({ id: 'a', text }),
      '{not json',
      JSON.stringify({ id: 'b', chunks: ['Пишите на iv', 'an@mail.ru или звоните +7 (9', '12) 345-67-89.'] }),
      JSON.stringify({ id: 7, text: 42 }),
      '',
      JSON.stringify({ id: 'c', text: 'fine' }),
    ];
    const r = await run(`${lines.join('\n')}\n`);
    expect(r.code).toBe(0);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out).toHaveLength(5);
    expect(out[0]).toEqual({
      id: 'a',
      output: 'Пишите на [EMAIL] или звоните [PHONE].',
      findings: [
        { type: 'EMAIL', start: 10, end: 22, score: 0.99 },
        { type: 'PHONE', start: 35, end: 53, score: 0.98 },
      ],
    });
    expect(out[1]?.['id']).toBeNull();
    expect(typeof out[1]?.['error']).toBe('string');
    expect({ ...out[2], id: 'a' }).toEqual(out[0]);
    expect(out[3]).toMatchObject({ id: 7, error: expect.any(String) as unknown });
    expect(out[4]).toEqual({ id: 'c', output: 'fine', findings: [] });
  });

  it('refuses to run without --jsonl, with exit code 2', async () => {
    const r = await run('', ['inspect-text']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--jsonl');
  });
});
