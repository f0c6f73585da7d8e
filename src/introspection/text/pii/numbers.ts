import type { PiiType } from '../types.js';
import type { ContextKind } from './context.js';
import { innValid, ipv4Valid, luhnValid, snilsValid, ssnValid } from './validators.js';

/**
 * Classifies one run of digits and separators (`+7 (912) 345-67-89`, `4111 1111 1111 1111`,
 * `112-233-445 95`, `10.0.0.1`) by format, checksum and the nearest context word.
 * Order matters: formats that are unambiguous come first; look-alikes (dates, versions,
 * decimals, order numbers) are rejected before the weaker guesses.
 */
export interface NumberVerdict {
  readonly type: PiiType;
  readonly score: number;
}

export function classifyNumber(run: string, context: ContextKind | null): NumberVerdict | null {
  if (context === 'version') return null;
  if (/^\d+(?:\.\d+)+$/.test(run)) {
    // dotted numbers: an IPv4 address, or a version, date or decimal
    return /^\d+(?:\.\d+){3}$/.test(run) && ipv4Valid(run) ? { type: 'IP', score: context === 'ip' ? 0.99 : 0.93 } : null;
  }
  if (isDate(run)) return null;
  const digits = run.replace(/\D/g, '');
  const grouping = run.replace(/\d+/g, (d) => String(d.length));

  if (run.startsWith('+')) {
    if (digits.startsWith('7')) return digits.length === 11 ? { type: 'PHONE', score: 0.98 } : null;
    return digits.length >= 10 && digits.length <= 15 ? { type: 'PHONE', score: 0.95 } : null;
  }
  if (context === 'negative') return null;

  if (digits.length >= 13 && digits.length <= 19 && /^[2-6]/.test(digits) && luhnValid(digits)) {
    const grouped = /^4(?:[ -]4){2,3}(?:[ -]\d{1,3})?$/.test(grouping) || /^4[ -]6[ -]5$/.test(grouping) || /^\d+$/.test(grouping);
    if (grouped && (context === 'card' || grouping !== String(digits.length) || digits.length === 16)) {
      return { type: 'CARD', score: context === 'card' ? 0.99 : 0.95 };
    }
  }
  if (/^3([- ])2\1(?:4)$/.test(grouping) || (context === 'ssn' && grouping === '9')) {
    return ssnValid(digits) ? { type: 'SSN', score: context === 'ssn' ? 0.99 : 0.9 } : null;
  }
  if (/^3[- ]3[- ]3[- ]2$/.test(grouping) || (context === 'snils' && grouping === '11')) {
    return snilsValid(digits) ? { type: 'SNILS', score: 0.97 } : null;
  }
  if (context === 'passport' && (grouping === '4 6' || grouping === '2 2 6' || grouping === '10')) {
    return { type: 'PASSPORT_RU', score: 0.95 };
  }
  if ((grouping === '10' || grouping === '12') && innValid(digits) && (context === 'inn' || grouping === '12')) {
    return { type: 'INN', score: context === 'inn' ? 0.99 : 0.85 };
  }
  return classifyPhone(run, digits, grouping, context);
}

function classifyPhone(run: string, digits: string, grouping: string, context: ContextKind | null): NumberVerdict | null {
  const phoneContext = context === 'phone';
  // Russian national form: 8 XXX XXX-XX-XX (11 digits, trunk prefix 8, or 7 without "+")
  if (digits.length === 11 && /^[78][3489]/.test(digits)) {
    const formatted = /^1[ -]?[ (]?3\)?[ -]?3[ -]2[ -]2$/.test(grouping.replace(/[()]/g, ''));
    if (formatted || phoneContext || /^[78]9/.test(digits)) return { type: 'PHONE', score: phoneContext || formatted ? 0.95 : 0.85 };
  }
  // North American: (415) 555-2671, 415-555-2671, 415.555.2671
  if (digits.length === 10 && /^[2-9]\d{2}[2-9]/.test(digits)) {
    if (/^\(\d{3}\) ?\d{3}[-. ]\d{4}$/.test(run) || /^\d{3}([-. ])\d{3}\1\d{4}$/.test(run)) return { type: 'PHONE', score: 0.92 };
  }
  // Russian ten digits without trunk prefix, only with a phone word: "тел. 912 345-67-89"
  if (phoneContext && digits.length >= 7 && digits.length <= 12) return { type: 'PHONE', score: 0.85 };
  return null;
}

/** yyyy-mm-dd, dd-mm-yyyy, dd/mm/yyyy, mm/dd/yyyy and two-digit years. */
function isDate(run: string): boolean {
  const m = /^(\d{1,4})([-/.])(\d{1,2})\2(\d{1,4})$/.exec(run);
  if (m === null) return false;
  const [a, , b, c] = [m[1] ?? '', m[2], m[3] ?? '', m[4] ?? ''];
  const mid = Number(b);
  if (mid < 1 || mid > 31) return false;
  return (a.length === 4 && c.length <= 2) || (a.length <= 2 && (c.length === 4 || c.length === 2));
}
