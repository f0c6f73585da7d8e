import { silentLogger } from '../../../../src/media/logger.js';
import { WebTransportServer, type WebTransportServerOptions, type WebTransportSession } from '../../../../src/transport/webtransport/index.js';
import { AsyncQueue } from './wt-client.js';

/** A WebTransportServer on 127.0.0.1, port 0, that accepts /ok* and refuses the rest with 404. */
export async function startTestServer(overrides: Partial<WebTransportServerOptions> = {}): Promise<{
  server: WebTransportServer;
  sessions: AsyncQueue<WebTransportSession>;
}> {
  const server = new WebTransportServer({
    host: '127.0.0.1',
    port: 0,
    logger: silentLogger(),
    authorize: (req) => (req.path.startsWith('/ok') ? 200 : 404),
    ...overrides,
  });
  const sessions = new AsyncQueue<WebTransportSession>();
  server.on('session', (s) => sessions.push(s));
  await server.start();
  return { server, sessions };
}
