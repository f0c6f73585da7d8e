export interface LineFit {
  slope: number;
  intercept: number;
  /** Coefficient of determination. */
  r2: number;
}

/** Least-squares line through (k, y[k]) for k in [from, to]. */
export function fitLine(y: ArrayLike<number>, from: number, to: number): LineFit {
  const n = to - from + 1;
  let sx = 0;
  let sy = 0;
  for (let k = from; k <= to; k++) {
    sx += k;
    sy += y[k]!;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let k = from; k <= to; k++) {
    const dx = k - mx;
    const dy = y[k]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const r2 = syy > 0 && sxx > 0 ? (sxy * sxy) / (sxx * syy) : 0;
  return { slope, intercept: my - slope * mx, r2 };
}
