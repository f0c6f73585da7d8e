import { CLOSE_KICKED, CLOSE_LAGGING, CLOSE_STREAM_ENDED_WS, type SessionHandlers, type TransportSession } from './session.js';
import { isWireError, isWireEvent } from './wire.js';

/** Opens the WebSocket fallback; resolves once open, rejects if it never opens. */
export function openWebSocketSession(url: string, handlers: SessionHandlers): Promise<TransportSession> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    let opened = false;
    let lastError = '';
    const done = new Promise<{ ended: boolean; lagging: boolean; reason: string }>((resolveDone) => {
      ws.onclose = (ev) => {
        if (!opened) reject(new Error(`WebSocket to ${url} failed (close ${ev.code})`));
        resolveDone({
          ended: ev.code === CLOSE_STREAM_ENDED_WS || ev.code === CLOSE_KICKED,
          lagging: ev.code === CLOSE_LAGGING,
          reason: lastError || ev.reason || `WebSocket closed with code ${ev.code}`,
        });
      };
    });
    ws.onmessage = (ev) => {
      let msg: unknown;
      try {
        msg = JSON.parse(String(ev.data));
      } catch {
        handlers.onMalformed('WebSocket message is not JSON');
        return;
      }
      if (isWireEvent(msg)) handlers.onMessage(msg);
      else if (isWireError(msg)) {
        lastError = msg.error.message;
        handlers.onError(msg.error);
      } else handlers.onMalformed('WebSocket message is not a wire event');
    };
    ws.onopen = () => {
      opened = true;
      resolve({ kind: 'websocket', done, sendDatagram: () => false, close: () => ws.close(1000) });
    };
  });
}
