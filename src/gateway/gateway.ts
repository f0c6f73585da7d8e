import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../media/logger.js';
import { StreamRegistry } from '../media/stream-registry.js';
import { RtmpIngest, type RtmpPublish } from '../ingest/rtmp/rtmp-ingest.js';
import { STREAM_ID_RE } from '../media/types.js';
import { HlsPull, type HlsPullView } from '../ingest/hls/hls-pull.js';
import { MidstreamError } from '../media/errors.js';
import { type GatewayConfig, generateSecret, secretEquals } from './config.js';
import { createHttpApp } from './http.js';
import { createMetrics } from './metrics.js';
import { StreamRunner } from './stream-runner.js';
import { DemoPublisher } from './demo.js';
import { AnalysisHub } from '../transport/hub.js';
import { transportPlugin } from '../transport/plugin.js';
import { registerViewer } from './viewer.js';
import { WebTransportServer } from '../transport/webtransport/index.js';
import { createWebTransportAuthorizer } from '../transport/wt-bridge.js';
import { TemporalPool } from './temporal-pool.js';
import { AnalysisScheduler } from './analysis-scheduler.js';

export const DEMO_STREAM_ID = 'demo';

/**
 * The composition root: creates every component, wires them with narrow callbacks, and
 * owns their lifecycle. Order matters and is commented where it does.
 */
export class Gateway {
  readonly streams = new StreamRegistry();
  /** Numbers analysis events per stream and channel, buffers them, fans them out to viewers. */
  readonly hub = new AnalysisHub();
  /** The temporal engine's heavy analyses, on a worker thread. */
  readonly temporal: TemporalPool;
  /** Every stream's analyzer calls, earliest deadline first; sheds video before audio, never text. */
  readonly scheduler = new AnalysisScheduler();
  readonly runners = new Map<string, StreamRunner>();
  readonly config: GatewayConfig;
  private readonly logger: Logger;
  private readonly metrics: Registry;
  private readonly http: FastifyInstance;
  private readonly rtmp: RtmpIngest;
  /** HTTP/3 + WebTransport for viewers (UDP, --wt-port). */
  readonly wt: WebTransportServer;
  private demo: DemoPublisher | null = null;
  /** HLS streams being pulled, by stream id (POST /api/streams, --pull). */
  readonly pulls = new Map<string, HlsPull>();
  private readonly relayKey = generateSecret();
  private state: 'new' | 'starting' | 'running' | 'closing' | 'closed' = 'new';
  private httpPortBound = 0;

  constructor(config: GatewayConfig, logger: Logger) {
    this.config = config;
    this.logger = logger;
    this.temporal = new TemporalPool(logger.child({ component: 'temporal' }));
    this.metrics = createMetrics(this.streams, this.hub, this.scheduler, this.temporal);
    this.rtmp = new RtmpIngest({
      host: config.host,
      port: config.rtmpPort,
      logger: logger.child({ component: 'rtmp' }),
      // The gateway's own relays (HLS pulls) publish with a key that only this process knows.
      checkPublishKey: (_id, key) => key !== undefined && (secretEquals(this.relayKey, key) || config.publishKeys.some((k) => secretEquals(k, key))),
      isLive: (id) => this.streams.isActive(id),
    });
    this.streams.on('state', ({ id, state, reason }) => {
      logger.info({ streamId: id, state, reason }, `stream ${state}`);
      // Viewers get a clean end; the buffers stay for export and late resumes.
      if (state === 'ended') this.hub.endStream(id, reason === undefined ? 'the stream has ended' : `the stream has ended: ${reason}`);
    });
    this.rtmp.on('publish', (p) => this.onRtmpPublish(p));
    this.rtmp.on('unpublish', ({ streamId, reason }) => this.runners.get(streamId)?.end(reason));
    this.http = createHttpApp({
      streams: this.streams,
      metrics: this.metrics,
      adminToken: config.adminToken,
      logger,
      endStream: (id, reason) => this.endStream(id, reason),
      rtmpPort: () => this.rtmp.port,
      startPull: (id, url) => this.startPull(id, url),
      pulls: () => [...this.pulls.values()].map((p) => p.view()),
    });
    const streamExists = (id: string) => this.streams.has(id);
    this.wt = new WebTransportServer({
      host: config.host,
      port: config.wtPort,
      logger: logger.child({ component: 'webtransport' }),
      authorize: createWebTransportAuthorizer({ streamExists }),
      ...(config.tlsCert !== undefined && config.tlsKey !== undefined
        ? { certificate: { certPem: readFileSync(config.tlsCert, 'utf8'), keyPem: readFileSync(config.tlsKey, 'utf8') } }
        : {}),
    });
    // Viewer-facing transport routes (WebSocket fallback, NDJSON export, /api/webtransport)
    // and the viewer's static files; fastify loads them before listen().
    void this.http.register(transportPlugin, {
      hub: this.hub,
      wt: this.wt,
      host: config.host,
      streamExists,
      logger: logger.child({ component: 'transport' }),
    });
    registerViewer(this.http, path.join(config.dataDir, 'hls'));
  }

  get httpPort(): number {
    return this.httpPortBound;
  }

  get rtmpPort(): number {
    return this.rtmp.port;
  }

  /** The WebTransport (HTTP/3) UDP port bound (after start()). */
  get wtPort(): number {
    return this.wt.port;
  }

  /** Publish URL for a stream on this gateway's RTMP ingest. */
  rtmpUrl(streamId: string, key: string, host = this.config.host): string {
    return `rtmp://${host}:${this.rtmp.port}/live/${streamId}?key=${encodeURIComponent(key)}`;
  }

  async start(): Promise<void> {
    if (this.state !== 'new') return;
    this.state = 'starting';
    mkdirSync(this.config.dataDir, { recursive: true });
    // WebTransport before HTTP: /api/webtransport reports its port and certificate hashes.
    await this.wt.start();
    // Then HTTP, so /healthz answers as soon as anything can be published.
    await this.http.listen({ host: this.config.host, port: this.config.httpPort });
    const address = this.http.server.address();
    this.httpPortBound = typeof address === 'object' && address !== null ? address.port : this.config.httpPort;
    // Then ingest: publishers may connect from this point on.
    await this.rtmp.start();
    // The demo publisher last: it needs the ingest port.
    if (this.config.demo) {
      const key = this.config.publishKeys[0];
      if (key === undefined) throw new Error('--demo needs a publish key');
      this.demo = new DemoPublisher({ rtmpUrl: this.rtmpUrl(DEMO_STREAM_ID, key, '127.0.0.1'), logger: this.logger.child({ component: 'demo' }) });
      this.demo.start();
    }
    for (const { id, url } of this.config.pulls ?? []) this.startPull(id, url);
    this.state = 'running';
  }

  /**
   * Starts pulling an HLS playlist as stream `id` (it goes live once media arrives).
   * Throws a MidstreamError for a bad id or URL, or an id already in use.
   */
  startPull(id: string, url: string): HlsPullView {
    if (!STREAM_ID_RE.test(id)) throw new MidstreamError('INVALID_INPUT', `stream id "${id}" must be 1–64 letters, digits, "-" or "_"`);
    if (this.pulls.has(id) || this.streams.isActive(id)) throw new MidstreamError('STREAM_EXISTS', `stream "${id}" is already running`);
    const pull = new HlsPull({
      streamId: id,
      url,
      rtmpUrl: this.rtmpUrl(id, this.relayKey, '127.0.0.1'),
      logger: this.logger.child({ component: 'hls-pull', streamId: id }),
      onDone: () => {
        if (this.pulls.get(id) === pull) this.pulls.delete(id);
      },
    });
    this.pulls.set(id, pull);
    pull.start();
    this.logger.info({ streamId: id, url }, 'HLS pull started');
    return pull.view();
  }

  /** Closes children in reverse order of start; idempotent. */
  async close(): Promise<void> {
    if (this.state === 'closing' || this.state === 'closed') return;
    this.state = 'closing';
    this.demo?.close();
    for (const pull of this.pulls.values()) pull.close();
    this.pulls.clear();
    await this.rtmp.close();
    for (const runner of this.runners.values()) runner.close('gateway shutting down');
    this.runners.clear();
    await this.http.close();
    await this.wt.close();
    this.scheduler.close();
    await this.temporal.close();
    this.hub.close();
    this.state = 'closed';
    this.logger.info('gateway closed');
  }

  endStream(id: string, reason: string): boolean {
    const pull = this.pulls.get(id);
    pull?.close();
    this.pulls.delete(id);
    const ended = this.rtmp.disconnect(id, reason) || pull !== undefined;
    this.runners.get(id)?.close(reason);
    return ended;
  }

  private onRtmpPublish(publish: RtmpPublish): void {
    const runner = new StreamRunner(
      {
        streamId: publish.streamId,
        protocol: this.pulls.has(publish.streamId) ? 'hls' : 'rtmp',
        openInput: () => publish.openInput(),
        droppedBeforeDecode: () => publish.skippedVideoTags(),
      },
      this.streams,
      this.logger,
      path.join(this.config.dataDir, 'hls', publish.streamId),
      (event) => this.hub.publish(publish.streamId, event),
      this.temporal,
      this.scheduler,
      this.config.realtime ?? null,
    );
    this.runners.set(publish.streamId, runner);
    runner.start();
  }
}
