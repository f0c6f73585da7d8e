import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/media/logger.js';
import { AnalysisHub } from '../../../src/transport/hub.js';
import { attachWebTransport, createWebTransportAuthorizer } from '../../../src/transport/wt-bridge.js';
import { WebTransportServer } from '../../../src/transport/webtransport/index.js';
import { WtViewer } from './wt-viewer.js';

/** Over real QUIC: what was published before the stream ended reaches the viewer before the close. */
describe('end of stream over WebTransport', () => {
  const hub = new AnalysisHub({ reliableQueueCapacity: 5000, replayCapacity: { text: 5000 } });
  let wt: WebTransportServer;
  const deps = { streamExists: (id: string) => id === 'live' };

  beforeAll(async () => {
    wt = new WebTransportServer({ host: '127.0.0.1', port: 0, logger: silentLogger(), authorize: createWebTransportAuthorizer(deps) });
    await wt.start();
    attachWebTransport(wt, { ...deps, hub, logger: silentLogger() });
  });
  afterAll(() => wt?.close());

  it('flushes a burst, then closes with code 0', async () => {
    const attached = new Promise<void>((resolve) => wt.once('session', () => resolve()));
    const viewer = await WtViewer.open(wt.port, '/streams/live/analysis?channels=text', 1);
    await attached;
    for (let i = 0; i < 2000; i += 1) hub.publish('live', { channel: 'text', type: 'x', pts: i, data: { pad: 'x'.repeat(200) } });
    hub.endStream('live');
    const closed = await viewer.closed;
    await viewer.until(() => viewer.last.text === 2000);
    expect(closed?.code).toBe(0);
    expect(viewer.counts.text).toBe(2000);
    expect(viewer.gaps).toEqual([]);
    await viewer.close();
  });
});
