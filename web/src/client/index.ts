/**
 * MidStream's browser client for analysis events (served from dist/web/client/index.js).
 * See docs/wire-format.md for what flows.
 */
export { connectAnalysis, type AnalysisConnection, type AnalysisStatus, type ConnectAnalysisOptions, type TransportKind } from './connect.js';
export { CHANNELS, type Channel, type SinceMap, type WireEvent } from './wire.js';
export { FrameDecoder } from './framing.js';
