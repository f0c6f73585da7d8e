import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CliError } from '../errors.js';
import {
  chooseEmbedding, classifyAttractor, dtw, dtwAlignment, lyapunovRosenstein, MIN_CLASSIFY_SAMPLES, MIN_LYAPUNOV_SAMPLES,
} from '../../temporal/index.js';

/** The path is returned only up to this many matrix cells (it needs the whole matrix in memory). */
const MAX_PATH_CELLS = 4_000_000;
/** Fewest samples for `embed` (AMI and false neighbours need a few dozen delay vectors). */
const MIN_EMBED_SAMPLES = 100;

/** Reads a series: numbers separated by whitespace or newlines. Any other token is an error. */
function readSeries(file: string): Float64Array {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(`${file}: cannot read (${code ?? 'error'})`);
  }
  const tokens = text.split(/\s+/).filter((t) => t !== '');
  if (tokens.length === 0) throw new CliError(`${file}: no numbers in the file`);
  const out = new Float64Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) {
    const v = Number(tokens[i]);
    if (!Number.isFinite(v)) throw new CliError(`${file}: "${truncate(tokens[i]!)}" (value ${i + 1}) is not a finite number`);
    out[i] = v;
  }
  return out;
}

function truncate(s: string): string {
  return s.length > 20 ? `${s.slice(0, 20)}…` : s;
}

function requireDynamics(file: string, x: Float64Array, min: number, method: string): void {
  if (x.length < min) throw new CliError(`${file}: ${x.length} values; ${method} needs at least ${min}`);
  if (x.every((v) => v === x[0])) throw new CliError(`${file}: the series is constant; ${method} needs a varying series`);
}

function positiveNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new CliError(`${name} must be a positive number, got "${value}"`);
    return n;
  };
}

function nonNegativeInteger(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new CliError(`${name} must be a non-negative integer, got "${value}"`);
    return n;
  };
}

/** Library RangeErrors ("too short for m = 5") are bad input, not crashes. */
function guard<T>(file: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof RangeError) throw new CliError(`${file}: ${err.message}`);
    throw err;
  }
}

function emit(json: boolean, data: unknown, human: string): void {
  // Never print NaN or Infinity (JSON would turn them into null): values near the float
  // range's ends overflow the squared distances.
  const numbers = JSON.stringify(data, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? 'NOT_FINITE' : v));
  if (numbers.includes('"NOT_FINITE"')) throw new CliError('the result is not a finite number; are the values within a sane range (|x| < 1e150)?');
  process.stdout.write(json ? `${JSON.stringify(data)}\n` : `${human}\n`);
}

const fmt = (v: number): string => (Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(3));

/** `midstream temporal lyapunov|classify|dtw|embed` (contract in docs/temporal.md). */
export function registerTemporal(program: Command): void {
  const temporal = program.command('temporal').description('time-series dynamics: Lyapunov exponent, attractor class, DTW, embedding');

  temporal
    .command('lyapunov <file>')
    .description('largest Lyapunov exponent (Rosenstein) of a series of numbers')
    .option('--dt <seconds>', 'sampling interval, for λ per time unit', positiveNumber('--dt'), 1)
    .option('--json', 'print JSON')
    .action((file: string, opts: { dt: number; json?: boolean }) => {
      const x = readSeries(file);
      requireDynamics(file, x, MIN_LYAPUNOV_SAMPLES, 'the Lyapunov estimate');
      const r = guard(file, () => lyapunovRosenstein(x, { dt: opts.dt }));
      const data = { lambda: r.lambda, lambdaPerStep: r.lambdaPerStep, tau: r.tau, m: r.m, fit: r.fit, n: r.n };
      emit(opts.json === true, data, [
        `lambda ${fmt(r.lambda)} per time unit (${fmt(r.lambdaPerStep)} per sample)`,
        `embedding tau ${r.tau}, m ${r.m}; fit ${fmt(r.fit.from)}..${fmt(r.fit.to)} r2 ${r.fit.r2.toFixed(3)}; ${r.n} samples`,
      ].join('\n'));
    });

  temporal
    .command('classify <file>')
    .description('attractor class: fixed, periodic, quasiperiodic, chaotic or stochastic')
    .option('--dt <seconds>', 'sampling interval, for λ and the period in time units', positiveNumber('--dt'), 1)
    .option('--json', 'print JSON')
    .action((file: string, opts: { dt: number; json?: boolean }) => {
      const x = readSeries(file);
      requireDynamics(file, x, MIN_CLASSIFY_SAMPLES, 'classification');
      const c = guard(file, () => classifyAttractor(x, { dt: opts.dt }));
      const data: { class: string; lambda: number | null; period?: number; confidence: number } = { class: c.class, lambda: c.lambda, confidence: c.confidence };
      if (c.period !== undefined) data.period = c.period;
      const parts = [`${c.class} (confidence ${c.confidence.toFixed(2)})`];
      if (c.lambda !== null) parts.push(`lambda ${fmt(c.lambda)}`);
      if (c.period !== undefined) parts.push(`period ${fmt(c.period)}`);
      emit(opts.json === true, data, parts.join(', '));
    });

  temporal
    .command('dtw <fileA> <fileB>')
    .description('dynamic time warping distance between two series')
    .option('--band <n>', 'Sakoe-Chiba band half-width in samples', nonNegativeInteger('--band'))
    .option('--json', 'print JSON')
    .action((fileA: string, fileB: string, opts: { band?: number; json?: boolean }) => {
      const a = readSeries(fileA);
      const b = readSeries(fileB);
      if (opts.band !== undefined && opts.band < Math.abs(a.length - b.length)) {
        throw new CliError(`--band ${opts.band} is narrower than the length difference ${Math.abs(a.length - b.length)}; no warping path fits`);
      }
      const data: { distance: number; path?: [number, number][] } = { distance: NaN };
      if (a.length * b.length <= MAX_PATH_CELLS) {
        const al = dtwAlignment(a, b, opts.band)!;
        data.distance = al.distance;
        data.path = al.path;
      } else {
        data.distance = dtw(a, b, opts.band === undefined ? {} : { band: opts.band });
      }
      emit(opts.json === true, data, `distance ${fmt(data.distance)} (${a.length} x ${b.length} samples${data.path ? `, path of ${data.path.length} steps` : ''})`);
    });

  temporal
    .command('embed <file>')
    .description('delay-embedding parameters: tau (first AMI minimum) and m (false nearest neighbours)')
    .option('--json', 'print JSON')
    .action((file: string, opts: { json?: boolean }) => {
      const x = readSeries(file);
      requireDynamics(file, x, MIN_EMBED_SAMPLES, 'embedding');
      const e = guard(file, () => chooseEmbedding(x));
      emit(opts.json === true, { tau: e.tau, m: e.m }, `tau ${e.tau} samples, m ${e.m}`);
    });
}
