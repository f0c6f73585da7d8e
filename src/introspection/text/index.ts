/**
 * Text introspection: streaming, chunk-invariant PII redaction, toxicity and repetition
 * loops over one item's text. See docs/introspection-text.md.
 */
export { TextInspector, inspectText, type TextInspectorOptions } from './inspector.js';
export { PII_TYPES, compareFindings, type Finding, type FindingType, type InspectResult, type PiiType } from './types.js';
export { MIN_HOLD_CHARS, TOKEN_MAX_CHARS, CONTEXT_AFTER_CHARS } from './span-scanner.js';
export { moderationFromEnv, openAIModeration, type ModerationClient, type ModerationVerdict } from './toxicity/moderation.js';
