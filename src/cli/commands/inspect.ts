import type { Command } from 'commander';
import { registerInspectText } from './inspect-text.js';
import { registerInspectMedia } from './inspect-media.js';

/** `midstream inspect-text`, `midstream inspect-media` (issue: introspection). */
export function registerInspect(program: Command): void {
  registerInspectText(program);
  registerInspectMedia(program);
}
