/**
 * A k-d tree (Bentley 1975) over points stored row-major in one Float64Array, for the
 * nearest-neighbour searches of delay-space methods (false nearest neighbours, Rosenstein,
 * nonlinear prediction). Implicit layout: the range [lo, hi) of `perm` is split at its
 * middle element, on the axis of widest spread, so there are no node objects.
 *
 * `nearest(i, w)` skips candidates within `w` indices of the query (the Theiler window),
 * because temporal neighbours on the same trajectory are not independent states.
 */
export class KdTree {
  private readonly pts: Float64Array;
  private readonly dim: number;
  private readonly perm: Int32Array;
  private readonly axis: Uint8Array;
  // Search state, kept on the instance so the recursion allocates nothing.
  private q = 0;
  private w = 0;
  private best = Infinity;
  private bestIndex = -1;

  constructor(points: Float64Array, dim: number, count = points.length / dim) {
    this.pts = points;
    this.dim = dim;
    this.perm = new Int32Array(count);
    for (let i = 0; i < count; i++) this.perm[i] = i;
    this.axis = new Uint8Array(count);
    this.build(0, count);
  }

  /** Squared distance to the nearest point j with |j − i| > theiler, or Infinity; its index in `lastIndex`. */
  nearest(i: number, theiler: number): number {
    this.q = i;
    this.w = theiler;
    this.best = Infinity;
    this.bestIndex = -1;
    this.search(0, this.perm.length);
    return this.best;
  }

  /** Index of the neighbour found by the last `nearest` call (−1 if none). */
  get lastIndex(): number {
    return this.bestIndex;
  }

  private build(lo: number, hi: number): void {
    if (hi - lo < 2) return;
    const d = this.dim;
    const pts = this.pts;
    const perm = this.perm;
    let axis = 0;
    let widest = -1;
    for (let k = 0; k < d; k++) {
      let min = Infinity;
      let max = -Infinity;
      for (let t = lo; t < hi; t++) {
        const v = pts[perm[t]! * d + k]!;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (max - min > widest) {
        widest = max - min;
        axis = k;
      }
    }
    const mid = (lo + hi) >> 1;
    this.select(lo, hi - 1, mid, axis);
    this.axis[mid] = axis;
    this.build(lo, mid);
    this.build(mid + 1, hi);
  }

  /** Hoare quickselect: afterwards perm[mid] has the median on `axis`, smaller left, larger right. */
  private select(left: number, right: number, k: number, axis: number): void {
    const d = this.dim;
    const pts = this.pts;
    const perm = this.perm;
    while (right > left) {
      const pivot = pts[perm[(left + right) >> 1]! * d + axis]!;
      let i = left;
      let j = right;
      while (i <= j) {
        while (pts[perm[i]! * d + axis]! < pivot) i++;
        while (pts[perm[j]! * d + axis]! > pivot) j--;
        if (i <= j) {
          const t = perm[i]!;
          perm[i] = perm[j]!;
          perm[j] = t;
          i++;
          j--;
        }
      }
      if (k <= j) right = j;
      else if (k >= i) left = i;
      else return;
    }
  }

  private search(lo: number, hi: number): void {
    if (lo >= hi) return;
    const d = this.dim;
    const pts = this.pts;
    const mid = (lo + hi) >> 1;
    const p = this.perm[mid]!;
    const qo = this.q * d;
    const po = p * d;
    const gap = p - this.q;
    if (gap > this.w || gap < -this.w) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const t = pts[qo + k]! - pts[po + k]!;
        s += t * t;
      }
      if (s < this.best) {
        this.best = s;
        this.bestIndex = p;
      }
    }
    if (hi - lo === 1) return;
    const axis = this.axis[mid]!;
    const diff = pts[qo + axis]! - pts[po + axis]!;
    if (diff < 0) {
      this.search(lo, mid);
      if (diff * diff < this.best) this.search(mid + 1, hi);
    } else {
      this.search(mid + 1, hi);
      if (diff * diff < this.best) this.search(lo, mid);
    }
  }
}
