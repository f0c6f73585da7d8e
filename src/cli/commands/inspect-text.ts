import type { Command } from 'commander';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { CliError } from '../errors.js';
import { inspectText } from '../../introspection/text/index.js';

/**
 * `midstream inspect-text --jsonl`: one JSON object per input line, `{"id","text"}` or
 * `{"id","chunks":[...]}`; one per output line, `{"id","output","findings":[{type,start,end,score}]}`
 * with offsets in UTF-16 code units of the whole text. A malformed line gives `{"id","error"}`
 * (id null when it cannot be read) and the next lines go on.
 */
export function registerInspectText(program: Command): void {
  program
    .command('inspect-text')
    .description('redact PII and flag toxicity and repetition loops in JSON lines read from stdin')
    .option('--jsonl', 'read JSON lines {"id","text"|"chunks"} on stdin, write one result per line')
    .action(async (opts: { jsonl?: boolean }) => {
      if (opts.jsonl !== true) throw new CliError('inspect-text: only --jsonl input is supported; pass --jsonl');
      await runJsonl(process.stdin, process.stdout);
    });
}

export async function runJsonl(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<void> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    if (!output.write(`${JSON.stringify(inspectLine(line))}\n`)) await once(output, 'drain');
  }
}

type LineResult =
  | { id: unknown; output: string; findings: { type: string; start: number; end: number; score: number }[] }
  | { id: unknown; error: string };

function inspectLine(line: string): LineResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (err) {
    return { id: null, error: `invalid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { id: null, error: 'expected a JSON object' };
  const obj = parsed as Record<string, unknown>;
  const id = obj['id'] ?? null;
  const text = obj['text'];
  const chunks = obj['chunks'];
  let input: string | string[];
  if (typeof text === 'string' && chunks === undefined) input = text;
  else if (text === undefined && Array.isArray(chunks) && chunks.every((c): c is string => typeof c === 'string')) input = chunks;
  else return { id, error: 'expected "text" (a string) or "chunks" (an array of strings)' };
  const r = inspectText(input);
  return { id, output: r.output, findings: r.findings.map((f) => ({ type: f.type, start: f.start, end: f.end, score: f.score })) };
}
