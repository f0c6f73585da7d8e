import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestGateway, TEST_KEY, type TestGateway } from '../test/helpers/gateway.js';
import { withTimeout } from '../test/helpers/wait.js';
import { MockRealtimeServer } from '../test/realtime/mock-realtime-server.js';

/**
 * The viewer as a person uses it, in real Chromium against a real gateway: a known stream
 * (black picture from 5 s to 8 s, muted tone from 3 s to 6 s, 14 s in all) goes in over RTMP,
 * and the page must connect, chart the per-frame statistics, show the BLACK badge while the
 * picture it plays is black and take it away after, list the alert, play the HLS picture, and
 * say when the stream has ended. The audio goes to the Realtime bridge (a local server speaking
 * the GA protocol stands in for OpenAI): the transcript shows with the e-mail address masked.
 * Every wait is on page state, never on the clock.
 */
const STREAM = 'viewer-e2e';
const WEB_SRC = path.resolve('web/src');
const WEB_OUT = path.resolve('dist/web/main.js');

/** Newest mtime under a directory. */
function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}

/** The gateway serves the compiled viewer from dist/web: compile it when web/src is newer. */
function ensureViewerBuilt(): void {
  if (existsSync(WEB_OUT) && statSync(WEB_OUT).mtimeMs >= newest(WEB_SRC)) return;
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.web.json'], { stdio: 'inherit' });
}

function knownPublisher(url: string): ChildProcess {
  return spawn('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-nostdin', '-re',
    '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30:duration=14',
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=14',
    '-vf', "drawbox=x=0:y=0:w=iw:h=ih:color=black:t=fill:enable='between(t,5,8)'",
    '-af', "volume=volume=0:enable='between(t,3,6)'",
    // 1 s GOPs: 1 s HLS segments, so the picture starts soon after the publisher.
    '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', '30', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-ar', '48000', '-f', 'flv', url,
  ], { stdio: 'ignore' });
}

describe('viewer page (Chromium, real gateway)', () => {
  let t: TestGateway;
  let realtime: MockRealtimeServer;
  let browser: Browser;
  let page: Page;
  let publisher: ChildProcess | undefined;
  const pageErrors: string[] = [];
  /** Screenshots; kept (and named) only when the test fails. */
  const shots = mkdtempSync(path.join(tmpdir(), 'midstream-viewer-e2e-'));
  let passed = false;

  beforeAll(async () => {
    ensureViewerBuilt();
    realtime = new MockRealtimeServer();
    await realtime.start();
    // The tone is "speech" until it is muted at 3 s, and again from 6 s to the end.
    realtime.script.push('Hello, write to me at jane.doe@example.com please. ', 'That is all for today.');
    t = await startTestGateway({
      realtime: { apiKey: 'sk-test', baseURL: realtime.baseURL, ca: realtime.ca, model: 'gpt-realtime', transcriptionModel: 'gpt-4o-transcribe', respond: false, drainMs: 30_000 },
    });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--headless=new', '--disable-background-networking', '--disable-component-update', '--no-first-run',
        '--autoplay-policy=no-user-gesture-required'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (err) => pageErrors.push(err.message));
  });

  afterAll(async () => {
    publisher?.kill('SIGKILL');
    await browser?.close();
    await t?.close();
    await realtime?.close();
    if (passed) rmSync(shots, { recursive: true, force: true });
    else console.error(`viewer e2e screenshots: ${shots}`);
  });

  it('connects, charts, badges the black stretch in step with the picture, lists the alert, masks the transcript, plays HLS, shows the end', { timeout: 90_000 }, async () => {
    publisher = knownPublisher(t.rtmpUrl(STREAM, TEST_KEY));
    const exited = new Promise((r) => publisher?.on('exit', r));
    await t.waitState(STREAM, 'starting');
    await page.goto(`${t.base}/?stream=${STREAM}`);

    // The analysis connection opens (WebTransport or its WebSocket fallback).
    await page.waitForSelector('#conn[data-state="open"]', { timeout: 20_000 });
    expect(await page.locator('#transport').textContent()).toMatch(/WebTransport|WebSocket/);

    // The charts get data: the motion value appears and then changes.
    const firstMotion = await page.waitForFunction(() => {
      const s = document.getElementById('v-motion')?.textContent ?? '';
      return /\d/.test(s) ? s : null;
    }, undefined, { timeout: 20_000 }).then((h) => h.jsonValue());
    await page.waitForFunction((first) => {
      const s = document.getElementById('v-motion')?.textContent ?? '';
      return /\d/.test(s) && s !== first;
    }, firstMotion, { timeout: 20_000 });

    // The first turn's transcript, with the address masked, and the Realtime session's state.
    await page.waitForFunction(() => Array.from(document.querySelectorAll('#text .redacted')).some((el) => el.textContent === 'EMAIL'), undefined, { timeout: 30_000 });
    const shown = await page.locator('#text').textContent();
    expect(shown).toContain('Hello, write to me at EMAIL please.');
    expect(shown).not.toContain('jane.doe');
    expect(await page.locator('#rt-state').textContent()).toMatch(/^Realtime/);

    // Someone who opens the page after that turn still sees it, and the session's state: the
    // page asks for the transcript, text and alerts buffered so far (the charts start live).
    const late = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    late.on('pageerror', (err) => pageErrors.push(`late page: ${err.message}`));
    await late.goto(`${t.base}/?stream=${STREAM}`);
    await late.waitForFunction(() => Array.from(document.querySelectorAll('#text .redacted')).some((el) => el.textContent === 'EMAIL'), undefined, { timeout: 20_000 });
    expect(await late.locator('#text').textContent()).toContain('Hello, write to me at EMAIL please.');
    expect(await late.locator('#rt-state').textContent()).toMatch(/^Realtime/);
    await late.close();

    // The <video> plays the HLS picture: it has a frame and its time advances.
    const time0 = await page.waitForFunction(() => {
      const v = document.querySelector('video');
      return v && v.readyState >= 2 && v.currentTime > 0 ? v.currentTime : null;
    }, undefined, { timeout: 30_000 }).then((h) => h.jsonValue());
    await page.waitForFunction((t0) => (document.querySelector('video')?.currentTime ?? 0) > t0, time0 ?? 0, { timeout: 20_000 });

    // BLACK appears over the picture, at some moment together with a dark picture (the
    // badges follow the HLS picture, not the faster analysis), and goes away after.
    await page.waitForSelector('.badge.black', { state: 'visible', timeout: 30_000 });
    await page.waitForFunction(() => {
      const v = document.querySelector('video');
      if (document.querySelector('.badge.black') === null || !v || v.readyState < 2 || v.videoWidth === 0) return false;
      const c = document.createElement('canvas');
      c.width = 32;
      c.height = 18;
      const ctx = c.getContext('2d', { willReadFrequently: true });
      if (!ctx) return false;
      ctx.drawImage(v, 0, 0, c.width, c.height);
      const px = ctx.getImageData(0, 0, c.width, c.height).data;
      let sum = 0;
      for (let i = 0; i < px.length; i += 4) sum += 0.299 * (px[i] ?? 0) + 0.587 * (px[i + 1] ?? 0) + 0.114 * (px[i + 2] ?? 0);
      return sum / (px.length / 4) < 30; // mean luma of the shown frame, 0–255
    }, undefined, { timeout: 20_000, polling: 100 });
    await page.screenshot({ path: path.join(shots, 'viewer-black.png') });
    await page.waitForSelector('.badge.black', { state: 'detached', timeout: 30_000 });
    await page.waitForFunction(() => (document.getElementById('alerts')?.textContent ?? '').includes('Picture went black'), undefined, { timeout: 10_000 });

    // The publisher finishes: the viewer says the stream ended.
    await withTimeout(exited, 40_000, 'the publisher to finish');
    await page.waitForSelector('#conn[data-state="ended"]', { timeout: 30_000 });
    await page.waitForSelector('#ended', { state: 'visible', timeout: 30_000 });
    // The turn still open at the end was committed and transcribed before the stream closed.
    expect(await page.locator('#text').textContent()).toContain('That is all for today.');
    await page.screenshot({ path: path.join(shots, 'viewer-ended.png') });
    expect(existsSync(path.join(shots, 'viewer-ended.png'))).toBe(true);
    expect(pageErrors).toEqual([]);
    passed = true;
  });
});
