import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DeadlineScheduler, ManualClock, type TaskOutcome } from '../../src/temporal/index.js';

interface Spec {
  name: string;
  deadline: number;
  /** Budget declared to the scheduler. */
  budget: number;
  /** Time the task really "takes" on the manual clock (default: its budget). */
  cost?: number;
  priority?: number;
}

/** Submits constructed tasks whose run() advances the manual clock by their cost. */
function load(clock: ManualClock, scheduler: DeadlineScheduler, specs: Spec[]) {
  const order: string[] = [];
  const outcomes = new Map<string, TaskOutcome<unknown>>();
  for (const s of specs) {
    scheduler.submit({
      name: s.name,
      deadline: s.deadline,
      budget: s.budget,
      ...(s.priority === undefined ? {} : { priority: s.priority }),
      run: () => {
        order.push(s.name);
        clock.advance(s.cost ?? s.budget);
        return s.name;
      },
      onDone: (o) => outcomes.set(s.name, o),
    });
  }
  return { order, outcomes };
}

describe('DeadlineScheduler (EDF with budgets, priorities, shedding)', () => {
  it('meets every deadline of a feasible load, in earliest-deadline-first order', () => {
    const clock = new ManualClock();
    const s = new DeadlineScheduler({ clock });
    // Utilisation 100 %: feasible only in EDF order (submission order would miss "b").
    const { order, outcomes } = load(clock, s, [
      { name: 'c', deadline: 10, budget: 4 },
      { name: 'a', deadline: 3, budget: 3 },
      { name: 'b', deadline: 6, budget: 3 },
    ]);
    expect(s.drain()).toBe(3);
    expect(order).toEqual(['a', 'b', 'c']);
    expect([...outcomes.values()].every((o) => o.status === 'done')).toBe(true);
    expect(outcomes.get('c')!.at).toBe(10);
    expect(s.stats()).toEqual({ run: 3, late: 0, shed: 0, overruns: 0, queued: 0 });
  });

  it('sheds the lowest priority first when the deadlines cannot all be met', () => {
    const clock = new ManualClock();
    const s = new DeadlineScheduler({ clock });
    // 12 units of work due by 8: 4 units must go; the priority-0 task is the one to shed.
    const { order, outcomes } = load(clock, s, [
      { name: 'video-stats', deadline: 8, budget: 4, priority: 2 },
      { name: 'thumbnail', deadline: 8, budget: 4, priority: 0 },
      { name: 'transcript', deadline: 8, budget: 4, priority: 5 },
    ]);
    s.drain();
    expect(outcomes.get('thumbnail')!.status).toBe('shed');
    expect(order.sort()).toEqual(['transcript', 'video-stats']);
    expect(outcomes.get('transcript')!.status).toBe('done');
    expect(outcomes.get('video-stats')!.status).toBe('done');
    expect(s.stats()).toMatchObject({ run: 2, late: 0, shed: 1 });
  });

  it('sheds only as much as the overload requires, least important first', () => {
    const clock = new ManualClock();
    const s = new DeadlineScheduler({ clock });
    const specs: Spec[] = [];
    // Ten unit tasks due by 6, priorities 0..9: exactly the four least important must go.
    for (let p = 0; p < 10; p++) specs.push({ name: `p${p}`, deadline: 6, budget: 1, priority: p });
    const { outcomes } = load(clock, s, specs);
    s.drain();
    const shed = [...outcomes].filter(([, o]) => o.status === 'shed').map(([n]) => n).sort();
    expect(shed).toEqual(['p0', 'p1', 'p2', 'p3']);
    expect(s.stats()).toMatchObject({ run: 6, late: 0, shed: 4 });
  });

  it('sheds a task that cannot be saved rather than less important work that would not help', () => {
    const clock = new ManualClock(100);
    const s = new DeadlineScheduler({ clock });
    const { outcomes } = load(clock, s, [
      { name: 'cheap', deadline: 102, budget: 1, priority: 0 },
      { name: 'hopeless', deadline: 103, budget: 10, priority: 9 },
      { name: 'later', deadline: 120, budget: 5, priority: 1 },
    ]);
    s.drain();
    expect(outcomes.get('hopeless')!.status).toBe('shed');
    expect(outcomes.get('cheap')!.status).toBe('done');
    expect(outcomes.get('later')!.status).toBe('done');
  });

  it('re-plans after an overrun: the late task is counted, later work is shed by priority', () => {
    const clock = new ManualClock();
    const s = new DeadlineScheduler({ clock });
    const { outcomes } = load(clock, s, [
      { name: 'slow', deadline: 4, budget: 2, cost: 5 },
      { name: 'low', deadline: 8, budget: 3, priority: 0 },
      { name: 'high', deadline: 9, budget: 3, priority: 1 },
    ]);
    s.drain();
    expect(outcomes.get('slow')!.status).toBe('late');
    // After the overrun (t = 5) only one of the two 3-unit tasks fits before 8–9.
    expect(outcomes.get('low')!.status).toBe('shed');
    expect(outcomes.get('high')!.status).toBe('done');
    expect(s.stats()).toEqual({ run: 2, late: 1, shed: 1, overruns: 1, queued: 0 });
  });

  it('sheds work whose deadline passed while it waited', () => {
    const clock = new ManualClock();
    const s = new DeadlineScheduler({ clock });
    const { outcomes } = load(clock, s, [{ name: 'stale', deadline: 5, budget: 1 }]);
    clock.advance(10);
    expect(s.runNext()).toBe(false);
    expect(outcomes.get('stale')!.status).toBe('shed');
  });

  it('keeps running when a task throws, and reports the error', () => {
    const clock = new ManualClock();
    const s = new DeadlineScheduler({ clock });
    let outcome: TaskOutcome<unknown> | undefined;
    s.submit({ deadline: 10, budget: 1, run: () => { throw new Error('analyzer bug'); }, onDone: (o) => (outcome = o) });
    s.submit({ deadline: 10, budget: 1, run: () => 42 });
    expect(s.drain()).toBe(2);
    expect((outcome!.error as Error).message).toBe('analyzer bug');
    expect(s.stats().run).toBe(2);
  });

  it('bounds the queue: beyond capacity the least important waiting task is shed', () => {
    const clock = new ManualClock();
    const s = new DeadlineScheduler({ clock, capacity: 3 });
    const { outcomes } = load(clock, s, [
      { name: 'a', deadline: 100, budget: 1, priority: 3 },
      { name: 'b', deadline: 100, budget: 1, priority: 1 },
      { name: 'c', deadline: 100, budget: 1, priority: 2 },
      { name: 'd', deadline: 100, budget: 1, priority: 4 },
    ]);
    expect(outcomes.get('b')!.status).toBe('shed');
    expect(s.stats().queued).toBe(3);
  });

  it('meets all deadlines of random feasible loads (EDF optimality)', () => {
    // Jobs built back to back with slack: a feasible schedule exists by construction.
    for (let seed = 1; seed <= 20; seed++) {
      let r = seed;
      const rand = () => ((r = (r * 1103515245 + 12345) % 2147483648) / 2147483648);
      const clock = new ManualClock();
      const s = new DeadlineScheduler({ clock });
      const specs: Spec[] = [];
      let t = 0;
      for (let k = 0; k < 30; k++) {
        const budget = 1 + Math.floor(rand() * 5);
        t += budget;
        specs.push({ name: `t${k}`, deadline: t + Math.floor(rand() * 3), budget, priority: Math.floor(rand() * 4) });
      }
      // Shuffle the submission order.
      for (let k = specs.length - 1; k > 0; k--) {
        const j = Math.floor(rand() * (k + 1));
        [specs[k], specs[j]] = [specs[j]!, specs[k]!];
      }
      load(clock, s, specs);
      s.drain();
      expect(s.stats(), `seed ${seed}`).toMatchObject({ run: 30, late: 0, shed: 0 });
    }
  });
});

/**
 * The policy without shortcuts: re-check the whole queue on every submit and dispatch. The
 * scheduler skips checks its slack bound proves unnecessary, so it must decide identically.
 */
class ReferenceScheduler {
  private q: { name: string; deadline: number; budget: number; priority: number; seq: number }[] = [];
  private seq = 0;
  readonly log: string[] = [];
  constructor(private readonly clock: ManualClock, private readonly capacity: number) {}

  submit(name: string, deadline: number, budget: number, priority: number): void {
    const e = { name, deadline, budget, priority, seq: this.seq++ };
    let pos = this.q.length;
    while (pos > 0 && this.q[pos - 1]!.deadline > deadline) pos--;
    this.q.splice(pos, 0, e);
    if (this.q.length > this.capacity) this.shedLowest(this.q.length - 1);
    this.enforce();
  }

  runNext(cost: (name: string) => number): boolean {
    if (this.q.length === 0) return false;
    this.enforce();
    const e = this.q.shift();
    if (!e) return false;
    this.clock.advance(cost(e.name));
    this.log.push(`${e.name}:${this.clock.now() > e.deadline ? 'late' : 'done'}@${this.clock.now()}`);
    return true;
  }

  private enforce(): void {
    for (;;) {
      let t = this.clock.now();
      const v = this.q.findIndex((e) => (t += e.budget) > e.deadline);
      if (v < 0) return;
      const p = this.q[v]!.priority;
      const essential = this.q.slice(0, v + 1).reduce((s, e) => s + (e.priority >= p ? e.budget : 0), this.clock.now());
      if (essential > this.q[v]!.deadline) this.shedAt(v);
      else this.shedLowest(v);
    }
  }

  private shedLowest(to: number): void {
    let victim = to;
    for (let k = to - 1; k >= 0; k--) if (this.q[k]!.priority < this.q[victim]!.priority) victim = k;
    this.shedAt(victim);
  }

  private shedAt(i: number): void {
    const [e] = this.q.splice(i, 1);
    this.log.push(`${e!.name}:shed@${this.clock.now()}`);
  }
}

describe('DeadlineScheduler against the shortcut-free reference policy', () => {
  it('makes the same decisions on random loads with overruns, idle time and overload', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('submit' as const), rel: fc.integer({ min: 0, max: 30 }), budget: fc.integer({ min: 0, max: 6 }), cost: fc.integer({ min: 0, max: 9 }), priority: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ kind: fc.constant('run' as const) }),
      fc.record({ kind: fc.constant('idle' as const), ms: fc.integer({ min: 1, max: 5 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.integer({ min: 2, max: 12 }), (ops, capacity) => {
        const clockA = new ManualClock();
        const clockB = new ManualClock();
        const sched = new DeadlineScheduler({ clock: clockA, capacity });
        const ref = new ReferenceScheduler(clockB, capacity);
        const costs = new Map<string, number>();
        const log: string[] = [];
        let k = 0;
        const step = (o: (typeof ops)[number]): void => {
          if (o.kind === 'submit') {
            const name = `t${k++}`;
            costs.set(name, o.cost);
            const deadline = clockA.now() + o.rel;
            sched.submit({
              name, deadline, budget: o.budget, priority: o.priority,
              run: () => clockA.advance(o.cost),
              onDone: (out) => log.push(`${name}:${out.status}@${out.at}`),
            });
            ref.submit(name, deadline, o.budget, o.priority);
          } else if (o.kind === 'run') {
            sched.runNext();
            ref.runNext((name) => costs.get(name)!);
          } else {
            clockA.advance(o.ms);
            clockB.advance(o.ms);
          }
        };
        ops.forEach(step);
        while (sched.runNext()) ref.runNext((name) => costs.get(name)!);
        ref.runNext((name) => costs.get(name)!);
        expect(log).toEqual(ref.log);
      }),
      { numRuns: 300 },
    );
  });
});
