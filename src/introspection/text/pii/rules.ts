import { isIPv6 } from 'node:net';
import type { RuleSpan, SpanRule } from '../span-scanner.js';
import { contextBefore } from './context.js';
import { classifyNumber } from './numbers.js';
import { ibanValid, shannonEntropy } from './validators.js';

/**
 * The PII rules, in priority order for equal spans. Every pattern is bounded so the
 * scanner's finality argument holds: matches that may contain spaces are at most
 * SPACED_MAX_CHARS (80) long, the others stop at whitespace and are at most
 * TOKEN_MAX_CHARS (1024) long; lookbehinds and context read at most 64 characters back,
 * lookaheads at most 16 forward.
 */

function span(m: RegExpExecArray, type: RuleSpan['type'], score: number, from = 0, to = m[0].length): RuleSpan {
  return { type, start: m.index + from, end: m.index + to, score };
}

/** Local part and domain per RFC 5321 §4.5.3.1 limits (64 / 255), ASCII only. */
const email: SpanRule = {
  pattern: /(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.){1,8}[A-Za-z]{2,24}(?![\w-]|\.\w)/g,
  redact: true,
  triggers: ['@'],
  classify: (_text, m) => span(m, 'EMAIL', 0.99),
};

/**
 * A run of digits joined by at most two separators (space - . ( ) /), optionally led by
 * "+" or "(": phones, cards, SSN, SNILS, INN, passports, IPv4 and their look-alikes.
 * The lookarounds make every match a maximal run, so a run is never split.
 */
const number: SpanRule = {
  pattern: /(?<!\d[ \-.()/]{0,2}|[\w+#№])\+?\(?\d(?:[ \-.()/]{0,2}\d){1,24}(?![ \-.()/]{0,2}\d|[\w@])/g,
  redact: true,
  classify(text, m) {
    const run = m[0];
    const context = contextBefore(text, m.index);
    const whole = classifyNumber(run, context);
    if (whole !== null) return span(m, whole.type, whole.score);
    // a stray leading or trailing group ("card 4111 1111 1111 1111 12", "ИНН/КПП 7707083893/770701001"): try without it
    const groups = [...run.matchAll(/\d+/g)];
    if (groups.length < 2 || run.startsWith('+')) return null;
    const last = groups[groups.length - 2];
    if (last !== undefined) {
      const to = last.index + last[0].length;
      const v = classifyNumber(run.slice(0, to), context);
      if (v !== null) return span(m, v.type, v.score * 0.95, 0, to);
    }
    const second = groups[1];
    if (second !== undefined) {
      const v = classifyNumber(run.slice(second.index), context);
      if (v !== null) return span(m, v.type, v.score * 0.95, second.index);
    }
    return null;
  },
};

/** IBAN (ISO 13616): country, check digits, BBAN; printed in groups of four or unbroken. */
const iban: SpanRule = {
  pattern: /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![A-Za-z0-9])/g,
  redact: true,
  classify(_text, m) {
    // the greedy match may have swallowed a following capitalised word: shorten by groups
    const raw = m[0];
    for (let to = raw.length; to >= 15; to = raw.lastIndexOf(' ', to - 1)) {
      if (to < 0) break;
      if (ibanValid(raw.slice(0, to).replace(/ /g, ''))) return span(m, 'IBAN', 0.99, 0, to);
    }
    return null;
  },
};

/** IPv6 (RFC 4291 §2.2 text forms), validated by node:net; short forms like "::1" are ignored. */
const ipv6: SpanRule = {
  pattern: /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:]|\.\w)/g,
  redact: true,
  triggers: [':'],
  classify(_text, m) {
    const v = m[0];
    return v.length >= 6 && isIPv6(v) && /[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{0,4}:/.test(v) ? span(m, 'IP', 0.97) : null;
  },
};

/** A Russian passport written with a number word between series and number: "серия 4510 № 123456", "45 10 номер 123456". */
const passportWithNumberWord: SpanRule = {
  pattern: /(?<![\w#№])\d{2} ?\d{2}[ \t]{0,3}(?:№|N|No\.?|номер)[ \t]{0,3}\d{6}(?![\d\w])/g,
  redact: true,
  classify: (text, m) => (contextBefore(text, m.index) === 'passport' ? span(m, 'PASSPORT_RU', 0.95) : null),
};

/**
 * Vendor-prefixed credentials: OpenAI `sk-`, AWS access key ids, GitHub tokens, Slack,
 * Google API keys, and JSON Web Tokens (three base64url parts, header starting `eyJ`).
 */
const knownSecret: SpanRule = {
  pattern: new RegExp(
    '(?<![\\w-])(?:sk-(?:proj-|ant-|svcacct-)?[A-Za-z0-9_-]{20,200}|(?:AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,251}' +
      '|github_pat_[A-Za-z0-9_]{22,251}|xox[abprs]-[A-Za-z0-9-]{10,200}|AIza[0-9A-Za-z_-]{35}' +
      '|eyJ[A-Za-z0-9_-]{8,330}\\.eyJ[A-Za-z0-9_-]{8,330}\\.[A-Za-z0-9_-]{8,330})(?![\\w-])',
    'g',
  ),
  redact: true,
  triggers: ['sk-', 'AKIA', 'ASIA', 'ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_', 'xox', 'AIza', 'eyJ'],
  classify: (_text, m) => span(m, 'SECRET', 0.99),
};

/** PEM private key blocks (RFC 7468 §10, §11): the header opens a block that runs to the END line. */
const PEM_END = /-----END (?:[A-Z0-9]{1,12} ){0,3}PRIVATE KEY-----/g;
const pemKey: SpanRule = {
  pattern: /-----BEGIN (?:[A-Z0-9]{1,12} ){0,3}PRIVATE KEY-----/g,
  redact: true,
  triggers: ['-----BEGIN '],
  classify: (_text, m) => ({ ...span(m, 'SECRET', 0.99), blockEnd: PEM_END }),
};

// the secret word is right before the value, with only a separator between ("key = …", "пароль: …", "token is …")
const SECRET_WORD = /(?:key|token|secret|password|passwd|pwd|passphrase|credentials?|ключ|токен|пароль|секрет)["'`]?\s*(?:[:=]|is|это|—|-)?\s*["'`]?$/i;
const NOT_SECRET = /^(?:[\d.:\-/+TZ]+|[a-z]+|[A-Z][a-z]+|https?\S*|\W+)$/;

/**
 * A high-entropy word right after a secret word (key, token, password, ключ, пароль…):
 * `password: Qw3rty!2024`, `API key = 9f8e…`. Dates, numbers and plain words are not secrets.
 */
const keywordSecret: SpanRule = {
  pattern: /(?<![\w\-+/=.!@#$%^&*~])[\w\-+/=.!@#$%^&*~]{8,200}(?![\w\-+/=.!@#$%^&*~])/g,
  redact: true,
  classify(text, m) {
    const token = m[0].replace(/[.,!]+$/, '');
    if (token.length < 8 || NOT_SECRET.test(token) || !/\d|[^\w]/.test(token) || !/[A-Za-z]/.test(token)) return null;
    if (!SECRET_WORD.test(text.slice(Math.max(0, m.index - 40), m.index))) return null;
    return shannonEntropy(token) >= 2.5 ? span(m, 'SECRET', 0.9, 0, token.length) : null;
  },
};

export const PII_RULES: readonly SpanRule[] = [pemKey, knownSecret, email, iban, ipv6, passportWithNumberWord, number, keywordSecret];
