import { seededRandom } from './prng.js';

/**
 * Reference series with known dynamics, used to calibrate and test the estimators and in
 * the benchmark. Each returns `n` samples after discarding a transient.
 */

/** Logistic map x ← r·x·(1 − x); chaotic at r = 4 with λ = ln 2 per step. */
export function logisticMap(n: number, r = 4, x0 = 0.1, transient = 1000): Float64Array {
  const out = new Float64Array(n);
  let x = x0;
  for (let i = 0; i < transient + n; i++) {
    x = r * x * (1 - x);
    if (i >= transient) out[i - transient] = x;
  }
  return out;
}

/** Hénon map (a = 1.4, b = 0.3: λ ≈ 0.419 per step), x component. */
export function henonMap(n: number, a = 1.4, b = 0.3, transient = 1000): Float64Array {
  const out = new Float64Array(n);
  let x = 0.1;
  let y = 0.1;
  for (let i = 0; i < transient + n; i++) {
    const nx = 1 - a * x * x + y;
    y = b * x;
    x = nx;
    if (i >= transient) out[i - transient] = x;
  }
  return out;
}

type Vec3 = [number, number, number];
type Field = (s: Vec3) => Vec3;

/** Integrates a 3-D flow with classical RK4 at step h, sampling every `every` steps. */
function integrate(field: Field, start: Vec3, n: number, dt: number, transientTime: number, component: 0 | 1 | 2, every = 1): Float64Array {
  const h = dt / every;
  let s: Vec3 = start;
  const step = (p: Vec3): Vec3 => {
    const k1 = field(p);
    const k2 = field([p[0] + (h / 2) * k1[0], p[1] + (h / 2) * k1[1], p[2] + (h / 2) * k1[2]]);
    const k3 = field([p[0] + (h / 2) * k2[0], p[1] + (h / 2) * k2[1], p[2] + (h / 2) * k2[2]]);
    const k4 = field([p[0] + h * k3[0], p[1] + h * k3[1], p[2] + h * k3[2]]);
    return [
      p[0] + (h / 6) * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0]),
      p[1] + (h / 6) * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1]),
      p[2] + (h / 6) * (k1[2] + 2 * k2[2] + 2 * k3[2] + k4[2]),
    ];
  };
  const skip = Math.round(transientTime / h);
  for (let i = 0; i < skip; i++) s = step(s);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = s[component];
    for (let k = 0; k < every; k++) s = step(s);
  }
  return out;
}

/** Lorenz system (σ = 10, ρ = 28, β = 8/3: λ ≈ 0.906 per time unit), x component, RK4. */
export function lorenz(n: number, dt = 0.01, sigma = 10, rho = 28, beta = 8 / 3): Float64Array {
  return integrate(([x, y, z]) => [sigma * (y - x), x * (rho - z) - y, x * y - beta * z], [1, 1, 1], n, dt, 50, 0, Math.max(1, Math.round(dt / 0.01)));
}

/** Rössler system (a = b = 0.2, c = 5.7: λ ≈ 0.0714 per time unit), x component, RK4. */
export function rossler(n: number, dt = 0.1, a = 0.2, b = 0.2, c = 5.7): Float64Array {
  return integrate(([x, y, z]) => [-y - z, x + a * y, b + z * (x - c)], [1, 1, 1], n, dt, 500, 0, Math.max(1, Math.round(dt / 0.01)));
}

/** Sum of sines A·sin(2π f t + φ) sampled at interval dt. */
export function sines(n: number, dt: number, parts: readonly { freq: number; amp?: number; phase?: number }[]): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (const p of parts) v += (p.amp ?? 1) * Math.sin(2 * Math.PI * p.freq * i * dt + (p.phase ?? 0));
    out[i] = v;
  }
  return out;
}

/** Damped oscillator x(t) = e^(−γt)·cos(ωt): it spirals into a fixed point. */
export function dampedOscillator(n: number, dt: number, gamma = 0.5, omega = 2 * Math.PI): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.exp(-gamma * i * dt) * Math.cos(omega * i * dt);
  return out;
}

/** Gaussian white noise. */
export function whiteNoise(n: number, seed: number): Float64Array {
  const rnd = seededRandom(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rnd.gaussian();
  return out;
}

/** AR(1) process x ← φ·x + ε with Gaussian ε: linearly correlated noise. */
export function ar1(n: number, phi: number, seed: number): Float64Array {
  const rnd = seededRandom(seed);
  const out = new Float64Array(n);
  let x = 0;
  for (let i = 0; i < 100 + n; i++) {
    x = phi * x + rnd.gaussian();
    if (i >= 100) out[i - 100] = x;
  }
  return out;
}
