import type { Command } from 'commander';

/** `midstream inspect-text --jsonl` */
export function registerInspectText(_program: Command): void {
  // filled in by the text introspection work
}
