/**
 * Temporal engine figures: DTW ns per cell against a naive full-matrix DTW measured in the
 * same run, Rosenstein λ on 10,000 samples in ms, and deadline-scheduler tasks per second
 * against a bare FIFO of the same tasks. Targets (issue 5): ≤ 2 ns/cell, ≤ 50 ms,
 * ≥ 5 M tasks/s.
 */
import {
  DeadlineScheduler, dtw, findBestMatch, logisticMap, lorenz, lyapunovRosenstein, seededRandom, type Task,
} from '../src/temporal/index.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Median CPU time in ms of `runs` calls after `warm` warm-up calls. CPU time, not wall
 * time: the benchmark machines are shared, and waiting for a core is not our cost. The
 * wall-clock median is printed once at the end for comparison.
 */
const wallRatios: number[] = [];
function time(f: () => unknown, runs: number, warm = 2): number {
  for (let i = 0; i < warm; i++) f();
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    f();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  wallRatios.push(median(wall) / median(cpu));
  return median(cpu);
}

/** The textbook reference: a full matrix of boxed numbers and Math.min. */
function naiveDtw(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const D: number[][] = [];
  for (let i = 0; i <= a.length; i++) D.push(new Array<number>(b.length + 1).fill(Infinity));
  D[0]![0] = 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const d = a[i - 1]! - b[j - 1]!;
      D[i]![j] = d * d + Math.min(D[i - 1]![j - 1]!, D[i - 1]![j]!, D[i]![j - 1]!);
    }
  }
  return Math.sqrt(D[a.length]![b.length]!);
}

const rnd = seededRandom(2026);
const n = 1000;
const cells = n * n;
const band = 100;
const bandCells = n * (2 * band + 1) - band * (band + 1);
// White noise is the worst case (the min of three is least predictable); a random walk is
// closer to real signals.
for (const kind of ['white noise', 'random walk']) {
  let sa = 0;
  let sb = 0;
  const a = Float64Array.from({ length: n }, () => (kind === 'white noise' ? rnd.gaussian() : (sa += rnd.gaussian())));
  const b = Float64Array.from({ length: n }, () => (kind === 'white noise' ? rnd.gaussian() : (sb += rnd.gaussian())));
  if (dtw(a, b) !== naiveDtw(a, b)) throw new Error('dtw disagrees with the reference');
  const tNaive = time(() => naiveDtw(a, b), 7);
  const tFull = time(() => dtw(a, b), 15);
  const tBand = time(() => dtw(a, b, { band }), 15);
  console.log(`DTW 1000x1000, ${kind} (median CPU time)`);
  console.log(`  naive reference       ${((tNaive * 1e6) / cells).toFixed(2)} ns/cell  ${tNaive.toFixed(2)} ms`);
  console.log(`  dtw full              ${((tFull * 1e6) / cells).toFixed(2)} ns/cell  ${tFull.toFixed(2)} ms  (naive / dtw = ${(tNaive / tFull).toFixed(1)}x)`);
  console.log(`  dtw band 100          ${((tBand * 1e6) / bandCells).toFixed(2)} ns/cell  ${tBand.toFixed(2)} ms`);
}

const series = Float64Array.from({ length: 100_000 }, () => rnd.gaussian());
for (let i = 1; i < series.length; i++) series[i] = 0.9 * series[i - 1]! + series[i]!;
const query = series.slice(61_000, 61_128);
const tSearch = time(() => findBestMatch(series, query, { band: 12 }), 5, 1);
console.log(`subsequence search, 128-sample query (band 12) in 100,000 AR(1) samples: ${tSearch.toFixed(1)} ms (${((tSearch * 1e6) / series.length).toFixed(0)} ns/window)`);

const logistic = logisticMap(10_000);
const flow = lorenz(10_000, 0.01);
const tLogAuto = time(() => lyapunovRosenstein(logistic), 7);
const tLogFixed = time(() => lyapunovRosenstein(logistic, { tau: 1, m: 2 }), 7);
const tLorAuto = time(() => lyapunovRosenstein(flow, { dt: 0.01 }), 5);
const tLorFixed = time(() => lyapunovRosenstein(flow, { dt: 0.01, tau: 18, m: 3 }), 5);
console.log('Rosenstein lambda, 10,000 samples (median CPU time)');
console.log(`  logistic, tau/m chosen (AMI + FNN)   ${tLogAuto.toFixed(1)} ms`);
console.log(`  logistic, tau=1 m=2 given            ${tLogFixed.toFixed(1)} ms`);
console.log(`  Lorenz dt=0.01, tau/m chosen         ${tLorAuto.toFixed(1)} ms`);
console.log(`  Lorenz dt=0.01, tau=18 m=3 given     ${tLorFixed.toFixed(1)} ms`);

// Scheduler: trivial tasks with increasing deadlines and generous budgets (no shedding),
// submitted in batches and drained; baseline = the same closures through a plain FIFO.
const N = 1_000_000;
const batch = 1000;
let sink = 0;
const work = (): number => (sink += 1);
const tasks: Task<number>[] = Array.from({ length: batch }, (_, k) => ({ run: work, deadline: 0, budget: 0, priority: k % 4 }));
const baseline = time(() => {
  // The least a queue can do: append, then call in order (no deadlines, no bookkeeping).
  const q: (() => number)[] = new Array<() => number>(batch);
  for (let s = 0; s < N; s += batch) {
    let tail = 0;
    for (let k = 0; k < batch; k++) q[tail++] = tasks[k]!.run;
    for (let h = 0; h < tail; h++) q[h]!();
  }
}, 5);
let clockNow = 0;
const sched = new DeadlineScheduler({ clock: { now: () => clockNow } });
const tSched = time(() => {
  for (let s = 0; s < N; s += batch) {
    clockNow += 1;
    for (let k = 0; k < batch; k++) {
      const t = tasks[k]!;
      t.deadline = clockNow + 1e9 + k;
      sched.submit(t);
    }
    sched.drain();
  }
}, 5);
const st = sched.stats();
if (st.shed !== 0 || st.late !== 0) throw new Error(`scheduler bench shed ${st.shed}, late ${st.late}`);
console.log('Deadline scheduler, 1M tasks in batches of 1000 (median CPU time)');
console.log(`  plain FIFO baseline   ${((N / baseline) * 1e3 / 1e6).toFixed(1)} M tasks/s`);
console.log(`  EDF scheduler         ${((N / tSched) * 1e3 / 1e6).toFixed(1)} M tasks/s  (${(tSched / baseline).toFixed(1)}x the FIFO's time)`);
let realNow: number;
const schedReal = new DeadlineScheduler({ clock: { now: () => performance.now() } });
const tReal = time(() => {
  for (let s = 0; s < N / 10; s += batch) {
    realNow = performance.now();
    for (let k = 0; k < batch; k++) {
      const t = tasks[k]!;
      t.deadline = realNow + 1e9 + k;
      schedReal.submit(t);
    }
    schedReal.drain();
  }
}, 5);
console.log(`  EDF, performance.now clock  ${((N / 10 / tReal) * 1e3 / 1e6).toFixed(1)} M tasks/s`);
console.log(`(wall time / CPU time, median over measurements: ${median(wallRatios).toFixed(2)}; > 1 means the machine was busy)`);
if (sink < 0) console.log(sink);
