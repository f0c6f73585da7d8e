/**
 * Checksums and range rules of the identifiers the PII rules recognise. Each takes the
 * digits (or characters) only, separators already removed.
 */

/** Luhn mod-10 (ISO/IEC 7812-1 Annex B), used by payment card numbers. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i -= 1) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** IBAN check digits (ISO 13616-1 §7.1, ISO 7064 MOD 97-10): rearranged number mod 97 === 1. */
export function ibanValid(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const expected = IBAN_LENGTHS[iban.slice(0, 2)];
  if (expected !== undefined && expected !== iban.length) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (let i = 0; i < rearranged.length; i += 1) {
    const c = rearranged.charCodeAt(i);
    // letters count as two digits: A = 10 … Z = 35
    const v = c >= 65 ? c - 55 : c - 48;
    rem = v >= 10 ? (rem * 100 + v) % 97 : (rem * 10 + v) % 97;
  }
  return rem === 1;
}

/** Lengths of the commonest IBAN countries (SWIFT IBAN registry); others are checked by mod-97 only. */
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  DE: 22, GB: 22, FR: 27, ES: 24, IT: 27, NL: 18, BE: 16, CH: 21, AT: 20, PL: 28, SE: 24, NO: 15,
  DK: 18, FI: 18, IE: 22, PT: 25, CZ: 24, HU: 28, RO: 24, BG: 22, GR: 27, LT: 20, LV: 21, EE: 20,
  KZ: 20, UA: 29, BY: 28, GE: 22, AZ: 28, TR: 26, LU: 20, SK: 24, SI: 19, HR: 21,
};

/**
 * SNILS (Russian insurance number) control sum, per the Pension Fund's rule: sum of the
 * first nine digits weighted 9…1; below 100 it is the check, 100/101 give 00, above 101
 * it is taken mod 101 (and 100 → 00 again). Numbers up to 001-001-998 carry no check.
 */
export function snilsValid(digits: string): boolean {
  if (!/^\d{11}$/.test(digits)) return false;
  const body = digits.slice(0, 9);
  if (body <= '001001998') return false;
  let sum = 0;
  for (let i = 0; i < 9; i += 1) sum += (digits.charCodeAt(i) - 48) * (9 - i);
  let check = sum % 101;
  if (check === 100) check = 0;
  return check === Number(digits.slice(9));
}

const INN10 = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN12A = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN12B = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

function innCheck(digits: string, weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i += 1) sum += (digits.charCodeAt(i) - 48) * (weights[i] ?? 0);
  return (sum % 11) % 10;
}

/** Russian taxpayer number (INN): 10 digits (organisations) or 12 (persons), FNS check digits. */
export function innValid(digits: string): boolean {
  if (/^\d{10}$/.test(digits)) return innCheck(digits, INN10) === digits.charCodeAt(9) - 48;
  if (/^\d{12}$/.test(digits)) {
    return innCheck(digits, INN12A) === digits.charCodeAt(10) - 48 && innCheck(digits, INN12B) === digits.charCodeAt(11) - 48;
  }
  return false;
}

/**
 * US Social Security number ranges never issued (SSA, "SSN randomization", 2011): area 000,
 * 666 and 900–999, group 00, serial 0000.
 */
export function ssnValid(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  const area = Number(digits.slice(0, 3));
  if (area === 0 || area === 666 || area >= 900) return false;
  return digits.slice(3, 5) !== '00' && digits.slice(5) !== '0000';
}

/** Dotted-quad IPv4 with octets 0–255 and no leading zeros (RFC 3986 §3.2.2 dec-octet). */
export function ipv4Valid(text: string): boolean {
  const parts = text.split('.');
  if (parts.length !== 4) return false;
  return parts.every((p) => /^(?:0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(text: string): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let h = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    h -= p * Math.log2(p);
  }
  return h;
}
