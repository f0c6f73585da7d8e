import { monotonicClock, type Clock } from './clock.js';

export type TaskStatus = 'done' | 'late' | 'shed';

export interface TaskOutcome<T> {
  status: TaskStatus;
  /** The task's return value (done and late only). */
  value?: T;
  /** The error it threw (done and late only; the scheduler carries on). */
  error?: unknown;
  /** Clock time when it finished or was shed. */
  at: number;
}

export interface Task<T = unknown> {
  /** Synchronous work (analyzers are pure and synchronous). */
  run: () => T;
  /** Absolute clock time by which it must have finished. */
  deadline: number;
  /** Time it is expected to take at most (its worst-case estimate), in clock units. */
  budget: number;
  /** Higher is more important; the lowest is shed first under overload. Default 0. */
  priority?: number;
  /** For stats and logs. */
  name?: string;
  /** Called once with what became of the task. */
  onDone?: (outcome: TaskOutcome<T>) => void;
}

export interface SchedulerStats {
  /** Tasks executed (including late ones). */
  run: number;
  /** Tasks that finished after their deadline. */
  late: number;
  /** Tasks dropped because the deadlines could not all be met. */
  shed: number;
  /** Tasks that took longer than their budget. */
  overruns: number;
  /** Tasks waiting. */
  queued: number;
}

export interface DeadlineSchedulerOptions {
  clock?: Clock;
  /** Most tasks waiting; a submit beyond it sheds the lowest priority (default 10,000). */
  capacity?: number;
}

interface Entry {
  task: Task<unknown>;
  seq: number;
  priority: number;
}

/**
 * Earliest-deadline-first scheduling of synchronous tasks with budgets, priorities and load
 * shedding (Liu & Layland 1973: on one processor EDF meets every deadline whenever any
 * order can). The queue is kept feasible: with the tasks in deadline order, each must
 * finish, running back to back from now on their budgets, by its deadline. When one
 * cannot, the lowest-priority task among it and those before it is shed (latest deadline
 * first among equal priorities), and the check repeats — so what is shed is the least
 * important work, and only as much as the overload requires.
 *
 * The check runs on submit (from the insertion point on) and before a dispatch when time
 * has moved past what the budgets predicted (an overrun, or idle time with work queued);
 * otherwise dispatch is O(1). A task that overruns still completes (JavaScript cannot
 * preempt) and is counted; if it finishes past its deadline it is `late`.
 */
export class DeadlineScheduler {
  private readonly clock: Clock;
  private readonly capacity: number;
  /** Sorted by (deadline, seq) from `head` on. */
  private queue: Entry[] = [];
  private head = 0;
  private seq = 0;
  /** The queue is known to meet every deadline when started no later than this. */
  private plannedAt = -Infinity;
  /** Sum of the queued tasks' budgets. */
  private queuedBudget = 0;
  /**
   * Invariant: started back to back at any time up to plannedAt + minSlack, the queue meets
   * every deadline (minSlack is a lower bound of min(deadline − finish from plannedAt)).
   * So the O(n) re-check is needed only when the clock runs past plannedAt + minSlack.
   */
  private minSlack = Infinity;
  private readonly counters = { run: 0, late: 0, shed: 0, overruns: 0 };

  constructor(options: DeadlineSchedulerOptions = {}) {
    this.clock = options.clock ?? monotonicClock;
    this.capacity = options.capacity ?? 10_000;
  }

  /** Queues a task; it may be shed at once (onDone says so) if it cannot fit. */
  submit<T>(task: Task<T>): void {
    if (!(task.budget >= 0) || Number.isNaN(task.deadline)) throw new RangeError('task needs a budget >= 0 and a deadline');
    const entry: Entry = { task: task as Task<unknown>, seq: this.seq++, priority: task.priority ?? 0 };
    const q = this.queue;
    let pos = q.length;
    // Deadlines mostly arrive in order, so search back from the tail.
    while (pos > this.head && q[pos - 1]!.task.deadline > task.deadline) pos--;
    const atTail = pos === q.length;
    if (atTail) q.push(entry);
    else q.splice(pos, 0, entry);
    this.queuedBudget += task.budget;
    const now = this.clock.now();
    if (q.length - this.head > this.capacity) {
      this.shedOne(this.head, q.length - 1);
      this.enforce(now);
      return;
    }
    if (atTail) {
      // Fast path: appended last, the newcomer only adds its own slack to the bound.
      const slack = Math.min(this.minSlack, task.deadline - (this.plannedAt + this.queuedBudget));
      if (now <= this.plannedAt + slack) {
        this.minSlack = slack;
        return;
      }
    }
    this.enforce(now);
  }

  /** Runs the task with the earliest deadline; false when nothing is queued. */
  runNext(): boolean {
    const now = this.clock.now();
    if (this.head >= this.queue.length) return false;
    if (now > this.plannedAt + this.minSlack) this.enforce(now);
    if (this.head >= this.queue.length) return false;
    const entry = this.queue[this.head]!;
    this.queue[this.head] = undefined as unknown as Entry;
    this.head += 1;
    this.compact();
    const { task } = entry;
    this.queuedBudget -= task.budget;
    // The rest now starts at most minSlack after plannedAt + this budget (now <= plannedAt +
    // minSlack), so with plannedAt moved on by the budget the invariant holds for it.
    this.plannedAt += task.budget;
    let value: unknown;
    let error: unknown;
    let threw = false;
    try {
      value = task.run();
    } catch (err) {
      threw = true;
      error = err;
    }
    const end = this.clock.now();
    this.counters.run += 1;
    if (end - now > task.budget) this.counters.overruns += 1;
    const late = end > task.deadline;
    if (late) this.counters.late += 1;
    const outcome: TaskOutcome<unknown> = { status: late ? 'late' : 'done', at: end };
    if (threw) outcome.error = error;
    else outcome.value = value;
    task.onDone?.(outcome);
    return true;
  }

  /** Runs queued tasks until none is left or `maxTasks` have run; returns how many ran. */
  drain(maxTasks = Infinity): number {
    let n = 0;
    while (n < maxTasks && this.runNext()) n++;
    return n;
  }

  stats(): SchedulerStats {
    return { ...this.counters, queued: this.queue.length - this.head };
  }

  /** Sheds everything still queued (on close). */
  clear(): void {
    while (this.head < this.queue.length) this.shedAt(this.head);
  }

  /**
   * Makes the queue feasible from time `now`: walks it in deadline order accumulating
   * budgets; at the first task that would finish late, sheds the least important task up
   * to there — or that task itself when even shedding everything less important before it
   * would not save it — and walks again.
   */
  private enforce(now: number): void {
    for (;;) {
      const q = this.queue;
      let t = now;
      let violation = -1;
      let minSlack = Infinity;
      for (let k = this.head; k < q.length; k++) {
        const task = q[k]!.task;
        t += task.budget;
        if (t > task.deadline) {
          violation = k;
          break;
        }
        if (task.deadline - t < minSlack) minSlack = task.deadline - t;
      }
      if (violation < 0) {
        this.queuedBudget = t - now;
        this.minSlack = minSlack;
        break;
      }
      const p = q[violation]!.priority;
      let essential = now;
      for (let k = this.head; k <= violation; k++) if (q[k]!.priority >= p) essential += q[k]!.task.budget;
      if (essential > q[violation]!.task.deadline) this.shedAt(violation);
      else this.shedOne(this.head, violation);
    }
    this.plannedAt = now;
  }

  /** Sheds the lowest-priority entry in [from, to], the latest deadline among equals. */
  private shedOne(from: number, to: number): void {
    let victim = to;
    for (let k = to - 1; k >= from; k--) if (this.queue[k]!.priority < this.queue[victim]!.priority) victim = k;
    this.shedAt(victim);
  }

  private shedAt(index: number): void {
    const [entry] = this.queue.splice(index, 1);
    this.queuedBudget -= entry!.task.budget;
    this.counters.shed += 1;
    entry!.task.onDone?.({ status: 'shed', at: this.clock.now() });
  }

  /** Drops the consumed prefix once it dominates, so the array does not grow forever. */
  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}
