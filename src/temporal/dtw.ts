/**
 * Dynamic time warping (Sakoe & Chiba 1978) with squared point costs, reported as the
 * square root of the cheapest warping path's summed cost, so that with `band: 0` on equal
 * lengths it is the Euclidean distance.
 *
 * - `band: w` restricts paths to the Sakoe–Chiba band |i - j| <= w (Infinity when no path
 *   fits, i.e. w < |a.length - b.length|).
 * - `bestSoFar: d` abandons as soon as every cell of a row costs more than d², since each
 *   path crosses every row (Rakthanmanon et al. 2012, "UCR suite"); the result is then
 *   Infinity. A result <= d is always exact.
 *
 * Two rows of Float64Array per call, nothing allocated per cell.
 */
export interface DtwOptions {
  /** Sakoe–Chiba half-width in samples; unlimited when omitted. */
  band?: number;
  /** Give up (return Infinity) once the distance is certain to exceed this. */
  bestSoFar?: number;
}

export function dtw(a: ArrayLike<number>, b: ArrayLike<number>, options: DtwOptions = {}): number {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return n === m ? 0 : Infinity;
  const w = options.band === undefined ? Math.max(n, m) : Math.floor(options.band);
  if (!(w >= Math.abs(n - m))) return Infinity;
  const bsf = options.bestSoFar === undefined ? Infinity : options.bestSoFar * options.bestSoFar;
  // Monomorphic kernels over Float64Arrays: the JIT keeps them tight whatever callers pass.
  if (w >= Math.max(n, m) && bsf === Infinity) return dtwFull(asFloat64(a), asFloat64(b));
  return dtwKernel(asFloat64(a), asFloat64(b), w, bsf);
}

function asFloat64(x: ArrayLike<number>): Float64Array {
  return x instanceof Float64Array ? x : Float64Array.from(x);
}

/** Unbanded DTW without abandoning: the plainest loop, which V8 compiles best. */
function dtwFull(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  const m = b.length;
  let prev = new Float64Array(m + 1).fill(Infinity);
  let cur = new Float64Array(m + 1);
  prev[0] = 0;
  for (let i = 0; i < n; i++) {
    const ai = a[i]!;
    cur[0] = Infinity;
    let left = Infinity;
    let diag = prev[0]!;
    for (let j = 1; j <= m; j++) {
      const up = prev[j]!;
      const d = ai - b[j - 1]!;
      // Math.min of three compiles to min instructions; ternaries became branches that
      // mispredict on noisy data (measured: 2–3x slower).
      left = Math.min(diag, up, left) + d * d;
      cur[j] = left;
      diag = up;
    }
    const t = prev;
    prev = cur;
    cur = t;
  }
  return Math.sqrt(prev[m]!);
}

/** Banded, early-abandoning DTW on squared costs; returns √cost or Infinity past `bsf` (squared). */
function dtwKernel(a: Float64Array, b: Float64Array, w: number, bsf: number): number {
  const n = a.length;
  const m = b.length;
  let prev = new Float64Array(m + 1).fill(Infinity);
  let cur = new Float64Array(m + 1).fill(Infinity);
  prev[0] = 0;
  for (let i = 1; i <= n; i++) {
    const lo = i - w > 1 ? i - w : 1;
    const hi = i + w < m ? i + w : m;
    const ai = a[i - 1]!;
    cur[lo - 1] = Infinity;
    let left = Infinity;
    let rowMin = Infinity;
    let diag = prev[lo - 1]!;
    for (let j = lo; j <= hi; j++) {
      const up = prev[j]!;
      const d = ai - b[j - 1]!;
      left = Math.min(diag, up, left) + d * d;
      cur[j] = left;
      diag = up;
      rowMin = Math.min(rowMin, left);
    }
    if (hi < m) cur[hi + 1] = Infinity;
    if (rowMin > bsf) return Infinity;
    const t = prev;
    prev = cur;
    cur = t;
  }
  const total = prev[m]!;
  return total > bsf ? Infinity : Math.sqrt(total);
}

export interface DtwAlignment {
  distance: number;
  /** Aligned index pairs [i, j] from (0, 0) to (a.length - 1, b.length - 1). */
  path: [number, number][];
}

/**
 * DTW with the optimal warping path. Keeps the whole (banded) cost matrix, O(n·m) memory,
 * so it is for offline use (the CLI), not for per-sample work.
 */
export function dtwAlignment(a: ArrayLike<number>, b: ArrayLike<number>, band?: number): DtwAlignment | null {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return null;
  const w = band === undefined ? Math.max(n, m) : Math.floor(band);
  if (!(w >= Math.abs(n - m))) return null;
  const cols = m + 1;
  const D = new Float64Array((n + 1) * cols).fill(Infinity);
  D[0] = 0;
  for (let i = 1; i <= n; i++) {
    const lo = Math.max(1, i - w);
    const hi = Math.min(m, i + w);
    const ai = a[i - 1]!;
    for (let j = lo; j <= hi; j++) {
      const d = ai - b[j - 1]!;
      D[i * cols + j] = d * d + Math.min(D[(i - 1) * cols + j - 1]!, D[(i - 1) * cols + j]!, D[i * cols + j - 1]!);
    }
  }
  const path: [number, number][] = [];
  let i = n;
  let j = m;
  while (i > 0 && j > 0) {
    path.push([i - 1, j - 1]);
    const diag = D[(i - 1) * cols + j - 1]!;
    const up = D[(i - 1) * cols + j]!;
    const left = D[i * cols + j - 1]!;
    if (diag <= up && diag <= left) {
      i -= 1;
      j -= 1;
    } else if (up <= left) i -= 1;
    else j -= 1;
  }
  path.reverse();
  return { distance: Math.sqrt(D[n * cols + m]!), path };
}
