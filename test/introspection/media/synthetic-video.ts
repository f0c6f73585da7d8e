import type { VideoFrame } from '../../../src/media/types.js';

export const WIDTH = 320;
export const HEIGHT = 180;
export const FRAME_MS = 1000 / 30;

/** A luma plane from a pixel function. */
export function plane(pixel: (x: number, y: number) => number): Uint8Array {
  const data = new Uint8Array(WIDTH * HEIGHT);
  for (let y = 0; y < HEIGHT; y++) for (let x = 0; x < WIDTH; x++) data[y * WIDTH + x] = pixel(x, y);
  return data;
}

/** Shot "A": a diagonal ramp drifting by `t` levels per frame (steady, moderate motion). */
export const drifting = (t: number): Uint8Array => plane((x, y) => 40 + ((x + y + 3 * t) % 160));
/** Shot "B": a checkerboard panning one pixel per frame, nothing like shot A. */
export const checker = (t: number): Uint8Array => plane((x, y) => ((((x + t) >> 4) + (y >> 4)) % 2 === 0 ? 30 : 220));
export const black = (): Uint8Array => plane(() => 16);

export function frame(index: number, data: Uint8Array): VideoFrame {
  return { kind: 'video', streamId: 's', pts: Math.round(index * FRAME_MS), index, width: WIDTH, height: HEIGHT, format: 'gray8', data };
}
