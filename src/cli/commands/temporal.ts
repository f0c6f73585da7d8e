import type { Command } from 'commander';

/** `midstream temporal ...` (issue: temporal engine). */
export function registerTemporal(_program: Command): void {
  // filled in by the temporal engine work
}
