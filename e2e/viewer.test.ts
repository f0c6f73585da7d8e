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

interface Sample {
  /** ms since the sampler started */
  at: number;
  black: boolean;
  badges: string;
  /** Mean luma (0–255) of the frame on screen; -1 before there is one. */
  luma: number;
  time: number;
  readyState: number;
  delay: string;
}

/**
 * Records, every 100 ms, what the page shows: its badges and the mean luma of the picture's
 * frame on screen, plus the picture's time and measured delay. The black stretch is checked
 * on this record, so the test cannot miss a moment while it waits on something else; the
 * record is printed when the test fails.
 */
async function startSampler(page: Page): Promise<void> {
  await page.evaluate(() => {
    const out: Sample[] = [];
    (window as unknown as { midstreamSamples: Sample[] }).midstreamSamples = out;
    const c = document.createElement('canvas');
    c.width = 32;
    c.height = 18;
    const ctx = c.getContext('2d', { willReadFrequently: true });
    const t0 = Date.now();
    setInterval(() => {
      const v = document.querySelector('video');
      let luma = -1;
      if (ctx && v && v.readyState >= 2 && v.videoWidth > 0) {
        ctx.drawImage(v, 0, 0, c.width, c.height);
        const px = ctx.getImageData(0, 0, c.width, c.height).data;
        let sum = 0;
        for (let i = 0; i < px.length; i += 4) sum += 0.299 * (px[i] ?? 0) + 0.587 * (px[i + 1] ?? 0) + 0.114 * (px[i + 2] ?? 0);
        luma = Math.round(sum / (px.length / 4));
      }
      const delay = document.getElementById('delay');
      out.push({
        at: Date.now() - t0,
        black: document.querySelector('.badge.black') !== null,
        badges: Array.from(document.querySelectorAll('.badge')).map((b) => b.className.replace('badge ', '')).join('+'),
        luma,
        time: v?.currentTime ?? -1,
        readyState: v?.readyState ?? -1,
        delay: `${delay?.textContent ?? ''} ${delay?.dataset['source'] ?? ''}`,
      });
      if (out.length > 3000) out.shift();
    }, 100);
  });
}

async function samplesOf(page: Page): Promise<Sample[]> {
  return page.evaluate(() => (window as unknown as { midstreamSamples?: Sample[] }).midstreamSamples ?? []);
}

/** Mean luma below this is a black frame (testsrc2 is around 126). */
const DARK = 30;

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
  let samples: Sample[] = [];

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
    if (!passed && page) samples = await samplesOf(page).catch(() => []);
    publisher?.kill('SIGKILL');
    await browser?.close();
    await t?.close();
    await realtime?.close();
    if (passed) rmSync(shots, { recursive: true, force: true });
    else console.error(`viewer e2e screenshots: ${shots}\n${samples.map((x) => `${x.at} ms: ${x.badges || '-'} luma=${x.luma} t=${x.time.toFixed(2)} rs=${x.readyState} delay=${x.delay}`).join('\n')}`);
  });

  it('connects, charts, badges the black stretch in step with the picture, lists the alert, masks the transcript, plays HLS, shows the end', { timeout: 90_000 }, async () => {
    publisher = knownPublisher(t.rtmpUrl(STREAM, TEST_KEY));
    const exited = new Promise((r) => publisher?.on('exit', r));
    await t.waitState(STREAM, 'starting');
    await page.goto(`${t.base}/?stream=${STREAM}`);

    await startSampler(page);

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

    // The <video> plays the HLS picture: it has a frame and its time advances.
    const time0 = await page.waitForFunction(() => {
      const v = document.querySelector('video');
      return v && v.readyState >= 2 && v.currentTime > 0 ? v.currentTime : null;
    }, undefined, { timeout: 30_000 }).then((h) => h.jsonValue());
    await page.waitForFunction((t0) => (document.querySelector('video')?.currentTime ?? 0) > t0, time0 ?? 0, { timeout: 20_000 });

    // BLACK comes up over the picture while the picture is black (the badges follow the HLS
    // picture, not the faster analysis), and goes away after.
    await page.waitForFunction((dark) => {
      const s = (window as unknown as { midstreamSamples: Sample[] }).midstreamSamples;
      const i = s.findIndex((x) => x.black && x.luma >= 0 && x.luma < dark);
      return i >= 0 && s.slice(i).some((x) => !x.black);
    }, DARK, { timeout: 40_000 });
    await page.waitForFunction(() => (document.getElementById('alerts')?.textContent ?? '').includes('Picture went black'), undefined, { timeout: 10_000 });

    // The publisher finishes: the viewer says the stream ended.
    await withTimeout(exited, 40_000, 'the publisher to finish');
    await page.waitForSelector('#conn[data-state="ended"]', { timeout: 30_000 });
    await page.waitForSelector('#ended', { state: 'visible', timeout: 30_000 });
    // The turn still open at the end was committed and transcribed before the stream closed.
    expect(await page.locator('#text').textContent()).toContain('That is all for today.');
    await page.screenshot({ path: path.join(shots, 'viewer-ended.png') });
    expect(existsSync(path.join(shots, 'viewer-ended.png'))).toBe(true);

    // In step: most of the time the badge was up, the picture under it was black (a badge
    // drawn at analysis time, seconds ahead of the picture, would be over a bright one).
    const withBadge = (await samplesOf(page)).filter((x) => x.black && x.luma >= 0);
    const overDark = withBadge.filter((x) => x.luma < DARK).length;
    console.log(`BLACK badge over a black picture in ${overDark} of ${withBadge.length} samples (100 ms apart)`);
    expect(overDark / withBadge.length).toBeGreaterThan(0.5);

    // Someone who opens the page later (here: after the end) still sees what was said and
    // flagged: the page asks for the transcript, text and alerts the gateway still buffers.
    const late = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    late.on('pageerror', (err) => pageErrors.push(`late page: ${err.message}`));
    await late.goto(`${t.base}/?stream=${STREAM}`);
    await late.waitForSelector('#conn[data-state="ended"]', { timeout: 30_000 });
    await late.waitForFunction(() => (document.getElementById('text')?.textContent ?? '').includes('That is all for today.'), undefined, { timeout: 10_000 });
    const lateText = await late.locator('#text').textContent();
    expect(lateText).toContain('Hello, write to me at EMAIL please.');
    expect(lateText).not.toContain('jane.doe');
    expect(await late.locator('#alerts').textContent()).toContain('Picture went black');
    expect(await late.locator('#rt-state').textContent()).toMatch(/^Realtime/);
    await late.close();
    expect(pageErrors).toEqual([]);
    passed = true;
  });
});
