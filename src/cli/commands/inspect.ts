import type { Command } from 'commander';

/** `midstream inspect-text`, `midstream inspect-media` (issue: introspection). */
export function registerInspect(_program: Command): void {
  // filled in by the introspection work
}
