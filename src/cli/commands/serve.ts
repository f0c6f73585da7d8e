import type { Command } from 'commander';

/** `midstream serve` (issue: foundation). */
export function registerServe(_program: Command): void {
  // filled in by the foundation work
}
