import type { Command } from 'commander';

/** `midstream inspect-media FILE [--json]` */
export function registerInspectMedia(_program: Command): void {
  // filled in by the media introspection work
}
