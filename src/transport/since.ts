import { CHANNELS, isChannel, type Channel } from '../media/types.js';
import { MidstreamError } from '../media/errors.js';

/** Last seq a viewer has seen, per channel (the `since` resume parameter). */
export type SinceMap = Partial<Record<Channel, number>>;

/**
 * Parses `since=<channel>:<seq>,...` (docs/wire-format.md §Resume). Seq 0 means "from the
 * oldest event still buffered". Rejects unknown channels, non-integers and repeats, so a
 * client bug shows up as a 400 instead of silently resuming from the wrong place.
 */
export function parseSince(value: string | null | undefined): SinceMap {
  const out: SinceMap = {};
  if (value === null || value === undefined || value === '') return out;
  for (const part of value.split(',')) {
    const [channel, seqText, extra] = part.split(':');
    if (channel === undefined || seqText === undefined || extra !== undefined || !isChannel(channel)) {
      throw new MidstreamError('BAD_REQUEST', `since: "${part}" is not <channel>:<seq> with a channel of ${CHANNELS.join(', ')}`);
    }
    if (!/^\d{1,15}$/.test(seqText)) throw new MidstreamError('BAD_REQUEST', `since: seq "${seqText}" of ${channel} is not a non-negative integer`);
    if (out[channel] !== undefined) throw new MidstreamError('BAD_REQUEST', `since: channel ${channel} given twice`);
    out[channel] = Number(seqText);
  }
  return out;
}

export function formatSince(since: SinceMap): string {
  return CHANNELS.filter((c) => since[c] !== undefined).map((c) => `${c}:${since[c]}`).join(',');
}

/**
 * Parses `channels=text,alerts` (the channels a viewer wants). Absent means all.
 */
export function parseChannels(value: string | null | undefined): readonly Channel[] {
  if (value === null || value === undefined || value === '') return CHANNELS;
  const out: Channel[] = [];
  for (const c of value.split(',')) {
    if (!isChannel(c)) throw new MidstreamError('BAD_REQUEST', `channels: "${c}" is not one of ${CHANNELS.join(', ')}`);
    if (!out.includes(c)) out.push(c);
  }
  return out;
}
