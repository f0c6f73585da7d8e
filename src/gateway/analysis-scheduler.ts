import { DeadlineScheduler, type SchedulerStats } from '../temporal/index.js';

/** What analysis work is worth, most important last: under overload video frames go first. */
export const PRIORITY = { video: 0, audio: 1, text: 2 } as const;
export type WorkKind = keyof typeof PRIORITY;

/**
 * How long each kind may wait before its result is useless to a live viewer. Audio gets
 * longer than video: its detectors (silence, voice) are stateful over contiguous blocks, so
 * a lost block costs accuracy, while a lost video frame only thins the per-frame stats.
 */
const DEADLINE_MS: Record<WorkKind, number> = { video: 150, audio: 1_000, text: 2_000 };

/** Cost estimates start here and follow the measured cost (EWMA). */
const INITIAL_BUDGET_MS: Record<WorkKind, number> = { video: 1, audio: 0.3, text: 0.05 };

export interface AnalysisSchedulerStats extends SchedulerStats {
  /** Shed tasks per kind (text is never dropped: a shed text task runs anyway, counted here). */
  shedByKind: Record<WorkKind, number>;
  budgetMs: Record<WorkKind, number>;
}

/**
 * The gateway's one analysis scheduler, shared by every stream: analyzer calls are queued
 * as tasks with a deadline and a budget learnt from their measured cost, and run
 * earliest-deadline-first on the event loop between I/O. When the queue cannot meet its
 * deadlines, the temporal engine's scheduler sheds the least important work first: video
 * frames, then audio blocks. Text is never lost: a shed text task runs at once instead.
 */
export class AnalysisScheduler {
  private readonly scheduler = new DeadlineScheduler({ capacity: 4_096 });
  private readonly budget: Record<WorkKind, number> = { ...INITIAL_BUDGET_MS };
  private readonly shedByKind: Record<WorkKind, number> = { video: 0, audio: 0, text: 0 };
  private readonly measured: Record<WorkKind, number> = { video: 0, audio: 0, text: 0 };
  private pending = false;
  private closed = false;

  /** Queues `work`; `onShed` runs (for video/audio) if it is dropped under overload. */
  submit(kind: WorkKind, work: () => void, onShed?: () => void): void {
    if (this.closed) return;
    const now = performance.now();
    this.scheduler.submit({
      name: kind,
      priority: PRIORITY[kind],
      deadline: now + DEADLINE_MS[kind],
      budget: this.budget[kind],
      run: () => {
        const started = performance.now();
        try {
          work();
        } finally {
          // EWMA of the measured cost, so budgets follow the machine and the content;
          // the first measurement replaces the initial guess outright.
          const cost = performance.now() - started;
          this.budget[kind] = this.measured[kind] === 0 ? cost : 0.8 * this.budget[kind] + 0.2 * cost;
          this.measured[kind] += 1;
        }
      },
      onDone: (outcome) => {
        if (outcome.status !== 'shed') return;
        this.shedByKind[kind] += 1;
        if (kind === 'text') work();
        else onShed?.();
      },
    });
    this.schedule();
  }

  stats(): AnalysisSchedulerStats {
    return { ...this.scheduler.stats(), shedByKind: { ...this.shedByKind }, budgetMs: { ...this.budget } };
  }

  close(): void {
    this.closed = true;
    this.scheduler.clear();
  }

  /** Drains in slices so timers and sockets get their turn between them. */
  private schedule(): void {
    if (this.pending) return;
    this.pending = true;
    setImmediate(() => {
      this.pending = false;
      if (this.closed) return;
      this.scheduler.drain(64);
      if (this.scheduler.stats().queued > 0) this.schedule();
    });
  }
}
