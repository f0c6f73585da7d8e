import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { MidstreamError } from '../media/errors.js';
import type { Logger } from '../media/logger.js';
import type { AnalysisHub } from './hub.js';
import { isViewerPath, parseViewerRequest, type ViewerRequestDeps } from './viewer-request.js';
import { WebSocketSink } from './ws-sink.js';

export interface WebSocketFallbackOptions extends ViewerRequestDeps {
  hub: AnalysisHub;
  logger: Logger;
}

/**
 * The WebSocket fallback at ws://HOST:HTTP_PORT/streams/<id>/analysis, on an existing HTTP
 * server's `upgrade` event (ws in noServer mode, so it shares the API's port). Returns a
 * function that detaches it and ends every connection.
 */
export function attachWebSocketFallback(server: Server, options: WebSocketFallbackOptions): () => void {
  // perMessageDeflate off: events are small and compressing each costs more CPU than it saves.
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 });
  const log = options.logger;

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!isViewerPath(url.pathname)) {
      // Another component may serve other upgrade paths; only answer when nobody else will.
      if (server.listenerCount('upgrade') === 1) refuse(socket, new MidstreamError('NOT_FOUND', `no WebSocket endpoint at ${url.pathname}`));
      return;
    }
    let request;
    try {
      request = parseViewerRequest(url.pathname, url.searchParams, options);
    } catch (err) {
      refuse(socket, err instanceof MidstreamError ? err : new MidstreamError('INTERNAL'));
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      let viewer;
      try {
        viewer = options.hub.attach(request.streamId, new WebSocketSink(ws), { since: request.since, channels: request.channels });
      } catch (err) {
        log.warn({ err, streamId: request.streamId }, 'WebSocket viewer refused');
        ws.terminate();
        return;
      }
      const gone = (): void => viewer.close({ kind: 'disconnected', code: null, message: 'the viewer closed the WebSocket' });
      ws.on('close', gone);
      ws.on('error', (err) => {
        log.debug({ err, streamId: request.streamId }, 'WebSocket viewer error');
        gone();
      });
      // Viewers only listen; anything they send is ignored (the socket is not a control channel).
    });
  };

  server.on('upgrade', onUpgrade);
  return () => {
    server.off('upgrade', onUpgrade);
    for (const ws of wss.clients) ws.terminate();
    wss.close();
  };
}

/** Answers a refused upgrade with a plain HTTP error in the API's JSON shape. */
function refuse(socket: Duplex, err: MidstreamError): void {
  const body = JSON.stringify(err.toJSON());
  socket.end(
    `HTTP/1.1 ${err.status} ${STATUS_CODES[err.status] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

