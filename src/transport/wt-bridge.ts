import { MidstreamError } from '../media/errors.js';
import type { Logger } from '../media/logger.js';
import type { AnalysisHub } from './hub.js';
import { parseViewerRequest, type ViewerRequestDeps } from './viewer-request.js';
import { WebTransportSink } from './wt-sink.js';
import type { WtConnectRequest, WtServer, WtSession } from './wt-types.js';

/**
 * The `authorize` callback for WebTransportServer: answers the extended CONNECT with the
 * HTTP status the session deserves (200, or 400/401/403/404 as for the WebSocket path).
 */
export function createWebTransportAuthorizer(deps: ViewerRequestDeps): (req: WtConnectRequest) => number {
  return (req) => {
    try {
      parseViewerRequest(req.path, req.query, deps);
      return 200;
    } catch (err) {
      return err instanceof MidstreamError ? err.status : 500;
    }
  };
}

export interface WebTransportBridgeOptions extends ViewerRequestDeps {
  hub: AnalysisHub;
  logger: Logger;
}

/**
 * Connects every WebTransport session at /streams/<id>/analysis to the hub. Client
 * datagrams are echoed back unchanged (a round-trip probe; docs/wire-format.md §Datagrams).
 * Returns a function that stops taking new sessions.
 */
export function attachWebTransport(server: WtServer, options: WebTransportBridgeOptions): () => void {
  const onSession = (session: WtSession): void => {
    let request;
    try {
      // Authorised at CONNECT already; parsed again because the session carries only path and query.
      request = parseViewerRequest(session.path, session.query, options);
    } catch (err) {
      const e = err instanceof MidstreamError ? err : new MidstreamError('INTERNAL');
      session.close(e.status, JSON.stringify(e.toJSON()));
      return;
    }
    let viewer;
    try {
      viewer = options.hub.attach(request.streamId, new WebTransportSink(session), {
        since: request.since,
        channels: request.channels,
        datagramChannels: request.datagramChannels,
      });
    } catch (err) {
      options.logger.warn({ err, streamId: request.streamId }, 'WebTransport viewer refused');
      return;
    }
    session.on('datagram', (payload) => {
      if (!session.closed) session.sendDatagram(payload);
    });
    session.on('close', () => viewer.close({ kind: 'disconnected', code: null, message: 'the WebTransport session closed' }));
  };
  server.on('session', onSession);
  return () => {
    server.off?.('session', onSession);
  };
}
