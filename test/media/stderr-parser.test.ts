import { describe, expect, it } from 'vitest';
import { FfmpegStderrParser, parseChannels } from '../../src/media/decoder/stderr-parser.js';

// Lines as ffmpeg 5.1 prints them for an FLV input from OBS/x264 and for its output.
const LINES = [
  "Input #0, flv, from 'pipe:0':",
  '  Metadata:',
  '    encoder         : Lavf59.27.100',
  '  Duration: N/A, start: 0.000000, bitrate: N/A',
  '  Stream #0:0: Video: h264 (High), yuv420p(progressive), 1280x720 [SAR 1:1 DAR 16:9], 2500 kb/s, 30 fps, 30 tbr, 1k tbn',
  '  Stream #0:1: Audio: aac (LC), 48000 Hz, stereo, fltp, 160 kb/s',
  'Stream mapping:',
  '  Stream #0:0 -> #0:0 (h264 (native) -> rawvideo (native))',
  "Output #0, rawvideo, to 'pipe:1':",
  '  Stream #0:0: Video: rawvideo (Y800 / 0x30303859), gray, 320x180 [SAR 3:4 DAR 4:3], q=2-31, 13824 kb/s, 30 fps, 30 tbn',
  '[Parsed_showinfo_1 @ 0x55d0c8a2e0c0] n:   0 pts:   1234 pts_time:1.234   duration:     33 duration_time:0.033   fmt:gray',
  '[Parsed_showinfo_1 @ 0x55d0c8a2e0c0] n:   1 pts:   1267 pts_time:1.267   duration:     33',
];

describe('ffmpeg stderr parser', () => {
  it('reads the input streams and not the output ones', () => {
    const p = new FfmpegStderrParser();
    const pts = LINES.map((l) => p.line(l));
    expect(p.inputComplete).toBe(true);
    expect(p.info.video).toEqual({ codec: 'h264', width: 1280, height: 720, fps: 30 });
    expect(p.info.audio).toEqual({ codec: 'aac', sampleRate: 48_000, channels: 2 });
    expect(pts.filter((x) => x !== null)).toEqual([1234, 1267]);
  });

  it('reports no fps when the header has none, and a missing audio track as null', () => {
    const p = new FfmpegStderrParser();
    p.line("Input #0, flv, from 'pipe:0':");
    p.line('  Stream #0:0: Video: h264 (Constrained Baseline), yuv420p(progressive), 640x360, 1k tbr, 1k tbn');
    p.line('Stream mapping:');
    expect(p.info.video).toEqual({ codec: 'h264', width: 640, height: 360, fps: null });
    expect(p.info.audio).toBeNull();
  });

  it('maps channel layouts to counts', () => {
    expect(parseChannels('mono')).toBe(1);
    expect(parseChannels('stereo')).toBe(2);
    expect(parseChannels('5.1(side)')).toBe(6);
    expect(parseChannels('3 channels')).toBe(3);
  });
});
