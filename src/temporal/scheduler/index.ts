export { DeadlineScheduler, type Task, type TaskOutcome, type TaskStatus, type SchedulerStats, type DeadlineSchedulerOptions } from './deadline-scheduler.js';
export { ManualClock, monotonicClock, type Clock } from './clock.js';
