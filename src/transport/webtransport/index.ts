/**
 * HTTP/3 (RFC 9114) + WebTransport (draft-ietf-webtrans-http3) server on @matrixai/quic.
 * See docs/webtransport.md for what is implemented and its limits.
 */
export { WebTransportServer } from './server.js';
export type {
  CertificateLifetime,
  CertificatePem,
  WebTransportBidiStream,
  WebTransportCloseInfo,
  WebTransportConnectRequest,
  WebTransportSendStream,
  WebTransportServerOptions,
  WebTransportSession,
  WebTransportSessionEvents,
} from './types.js';
export { generateSelfSigned, type ServerCertificate } from './certificate.js';
export { H3 as Http3ErrorCode } from './errors.js';
