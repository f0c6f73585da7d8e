/** Matching of found segment/cut events against the ones a test put into its media. */

export interface ExpectedEvent {
  readonly type: string;
  /** For segment edges; absent for point events such as `scene_cut`. */
  readonly state?: 'start' | 'end';
  readonly pts: number;
}

interface FoundEvent {
  readonly type: string;
  readonly pts: number;
  readonly data: unknown;
}

function stateOf(e: FoundEvent): string | undefined {
  const d = e.data as { state?: unknown } | null;
  return typeof d?.state === 'string' ? d.state : undefined;
}

const label = (e: { type: string; pts: number }, state: string | undefined): string =>
  `${e.type}${state === undefined ? '' : `:${state}`}@${e.pts.toFixed(1)}`;

/**
 * Pairs every expected event with a found one of the same type and state within `toleranceMs`,
 * one to one. Returns the problems: expected events not found, and found events nobody expected.
 * An empty list means the analyzer found exactly what is in the media, at the right times.
 */
export function eventProblems(found: readonly FoundEvent[], expected: readonly ExpectedEvent[], toleranceMs: number): string[] {
  const unused = [...found];
  const problems: string[] = [];
  for (const want of expected) {
    let best = -1;
    for (let i = 0; i < unused.length; i++) {
      const f = unused[i]!;
      if (f.type !== want.type || stateOf(f) !== want.state) continue;
      if (Math.abs(f.pts - want.pts) > toleranceMs) continue;
      if (best === -1 || Math.abs(f.pts - want.pts) < Math.abs(unused[best]!.pts - want.pts)) best = i;
    }
    if (best === -1) problems.push(`missing ${label(want, want.state)}`);
    else unused.splice(best, 1);
  }
  for (const f of unused) problems.push(`unexpected ${label(f, stateOf(f))}`);
  return problems;
}
