/**
 * Average mutual information between x(t) and x(t + lag), from a 2-D histogram with
 * equal-width bins (Fraser & Swinney 1986). Index `lag` of the result holds AMI(lag) in nats.
 */
export function averageMutualInformation(x: ArrayLike<number>, maxLag: number, bins?: number): Float64Array {
  const n = x.length;
  const b = bins ?? Math.max(8, Math.min(32, Math.ceil(Math.log2(n)) + 1));
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const scale = max > min ? b / (max - min) : 0;
  const bin = new Int32Array(n);
  for (let i = 0; i < n; i++) bin[i] = Math.min(b - 1, Math.floor((x[i]! - min) * scale));
  const out = new Float64Array(maxLag + 1);
  const joint = new Float64Array(b * b);
  const px = new Float64Array(b);
  const py = new Float64Array(b);
  for (let lag = 0; lag <= maxLag && lag < n; lag++) {
    joint.fill(0);
    px.fill(0);
    py.fill(0);
    const pairs = n - lag;
    for (let i = 0; i < pairs; i++) {
      const u = bin[i]!;
      const v = bin[i + lag]!;
      joint[u * b + v]! += 1;
      px[u]! += 1;
      py[v]! += 1;
    }
    let mi = 0;
    for (let u = 0; u < b; u++) {
      for (let v = 0; v < b; v++) {
        const c = joint[u * b + v]!;
        if (c > 0) mi += (c / pairs) * Math.log((c * pairs) / (px[u]! * py[v]!));
      }
    }
    out[lag] = mi;
  }
  return out;
}

/**
 * Embedding delay τ: the first local minimum of the AMI (Fraser & Swinney's criterion);
 * if the AMI only decreases within `maxLag`, the first lag where it falls below AMI(0)/e.
 */
export function delayFromAmi(x: ArrayLike<number>, maxLag = Math.min(200, Math.floor(x.length / 10))): number {
  const ami = averageMutualInformation(x, Math.max(2, maxLag));
  return firstMinimum(ami);
}

function firstMinimum(ami: Float64Array): number {
  for (let lag = 1; lag + 1 < ami.length; lag++) if (ami[lag]! < ami[lag - 1]! && ami[lag]! <= ami[lag + 1]!) return lag;
  const target = ami[0]! / Math.E;
  for (let lag = 1; lag < ami.length; lag++) if (ami[lag]! <= target) return lag;
  return 1;
}
