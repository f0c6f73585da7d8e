import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { CliError } from '../errors.js';
import { createLogger } from '../../media/logger.js';
import { DEFAULTS, generateSecret, type GatewayConfig } from '../../gateway/config.js';
import { realtimeFromEnv } from '../../realtime/config.js';
import { checkPullUrl } from '../../ingest/hls/hls-pull.js';
import { STREAM_ID_RE } from '../../media/types.js';

function port(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CliError(`${name} must be a port number 0-65535, got "${value}"`);
    return n;
  };
}

function collect(value: string, previous: string[]): string[] {
  if (value.trim() === '') throw new CliError('--publish-key must not be empty');
  return [...previous, value];
}

/** `--pull id=url`: an HLS stream to pull in as stream `id`. */
function pullSpec(value: string, previous: { id: string; url: string }[]): { id: string; url: string }[] {
  const at = value.indexOf('=');
  if (at <= 0 || at === value.length - 1) throw new CliError(`--pull wants <streamId>=<http(s) playlist URL>, got "${value}"`);
  return [...previous, { id: value.slice(0, at), url: value.slice(at + 1) }];
}

interface ServeOptions {
  host: string;
  httpPort: number;
  rtmpPort: number;
  wtPort: number;
  publishKey: string[];
  adminToken?: string;
  dataDir: string;
  demo: boolean;
  pull: { id: string; url: string }[];
  tlsCert?: string;
  tlsKey?: string;
}

/** `midstream serve`: runs the gateway until SIGINT/SIGTERM. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the gateway: RTMP ingest, decoding, analysis, HTTP API and viewer')
    .option('--host <host>', 'address to listen on', DEFAULTS.host)
    .option('--http-port <port>', 'HTTP API and viewer port (0 = pick a free one)', port('--http-port'), DEFAULTS.httpPort)
    .option('--rtmp-port <port>', 'RTMP ingest port (0 = pick a free one)', port('--rtmp-port'), DEFAULTS.rtmpPort)
    .option('--wt-port <port>', 'WebTransport (HTTP/3, UDP) port (0 = pick a free one)', port('--wt-port'), DEFAULTS.wtPort)
    .option('--publish-key <key>', 'key publishers must give as ?key= (repeatable; generated if none)', collect, [])
    .option('--admin-token <token>', 'bearer token for admin routes (generated if absent)')
    .option('--data-dir <dir>', 'directory for runtime data', DEFAULTS.dataDir)
    .option('--demo', 'start a built-in demo publisher (stream id "demo")', false)
    .option('--pull <id=url>', 'pull an HLS stream (http/https playlist) in as stream <id> (repeatable)', pullSpec, [])
    .addOption(new Option('--tls-cert <file>', 'PEM certificate for WebTransport (default: self-signed, rotated)'))
    .addOption(new Option('--tls-key <file>', 'PEM private key for --tls-cert'))
    .action(async (opts: ServeOptions) => {
      if ((opts.tlsCert === undefined) !== (opts.tlsKey === undefined)) throw new CliError('--tls-cert and --tls-key go together');
      for (const file of [opts.tlsCert, opts.tlsKey]) {
        if (file !== undefined && !existsSync(file)) throw new CliError(`cannot read ${file}`);
      }
      for (const { id, url } of opts.pull) {
        if (!STREAM_ID_RE.test(id)) throw new CliError(`--pull: stream id "${id}" must be 1–64 letters, digits, "-" or "_"`);
        try {
          checkPullUrl(url);
        } catch (err) {
          throw new CliError(`--pull ${id}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      const logger = createLogger();
      const generatedKey = opts.publishKey.length === 0;
      const realtime = realtimeFromEnv();
      const generatedToken = opts.adminToken === undefined;
      const config: GatewayConfig = {
        host: opts.host,
        httpPort: opts.httpPort,
        rtmpPort: opts.rtmpPort,
        wtPort: opts.wtPort,
        publishKeys: generatedKey ? [generateSecret()] : opts.publishKey,
        adminToken: opts.adminToken ?? generateSecret(24),
        dataDir: opts.dataDir,
        demo: opts.demo,
        ...(opts.tlsCert !== undefined ? { tlsCert: opts.tlsCert } : {}),
        ...(opts.tlsKey !== undefined ? { tlsKey: opts.tlsKey } : {}),
        ...(realtime !== null ? { realtime } : {}),
        ...(opts.pull.length > 0 ? { pulls: opts.pull } : {}),
      };
      // Last resort: a library promise rejected where nobody awaits it (seen in @matrixai/quic
      // for packets racing a closing connection) must cost a log line, not every stream.
      process.on('unhandledRejection', (reason) => {
        logger.error({ err: reason instanceof Error ? reason.message : String(reason) }, 'unhandled promise rejection (ignored)');
      });
      // Loaded here, not at the top: the other commands should not pay for the gateway's
      // dependencies (HTTP, QUIC, RTMP) at every start.
      const { DEMO_STREAM_ID, Gateway } = await import('../../gateway/gateway.js');
      const gateway = new Gateway(config, logger);
      try {
        await gateway.start();
      } catch (err) {
        await gateway.close();
        const e = err as NodeJS.ErrnoException;
        if (e.code === 'EADDRINUSE') throw new CliError(`a port is already in use (${e.message}); pick another with --http-port/--rtmp-port`, 1);
        throw err;
      }
      const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
      const key = config.publishKeys[0] ?? '';
      const lines = [
        '',
        'MidStream gateway is running.',
        `  Viewer:      http://${shownHost}:${gateway.httpPort}/${config.demo ? `?stream=${DEMO_STREAM_ID}` : ''}`,
        `  HTTP API:    http://${shownHost}:${gateway.httpPort}/api/streams   (port ${gateway.httpPort})`,
        `  WebTransport: https://${shownHost}:${gateway.wt.port}   (UDP port ${gateway.wt.port}; certificate hashes at /api/webtransport)`,
        `  RTMP ingest: rtmp://${shownHost}:${gateway.rtmpPort}/live   (port ${gateway.rtmpPort})`,
        `  OBS:         Settings → Stream → Service "Custom…", Server rtmp://${shownHost}:${gateway.rtmpPort}/live,`,
        `               Stream Key <streamId>?key=${key}`,
        ...(generatedKey ? [`  Publish key: ${key}   (generated; pass --publish-key to choose)`] : []),
        ...(generatedToken ? [`  Admin token: ${config.adminToken}   (generated; pass --admin-token to choose)`] : []),
        `  Realtime:    ${realtime ? `OpenAI ${realtime.model}, transcripts by ${realtime.transcriptionModel}` : 'off (set OPENAI_API_KEY to transcribe audio with the OpenAI Realtime API)'}`,
        ...(config.demo ? [`  Demo stream: "${DEMO_STREAM_ID}" is publishing a test picture and tone`] : []),
        '',
      ];
      process.stdout.write(lines.join('\n') + '\n');
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          logger.info({ signal }, 'shutting down');
          void gateway.close().then(resolve, resolve);
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
    });
}
