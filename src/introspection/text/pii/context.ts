import { CONTEXT_BEFORE_CHARS } from '../span-scanner.js';

/**
 * Context words (EN/RU) read in the CONTEXT_BEFORE_CHARS before a number. The nearest one
 * decides: a passport needs "паспорт"/"passport", while "order", "invoice", "заказ", "счёт"
 * etc. mark look-alike identifiers that are not personal data.
 */
export type ContextKind = 'card' | 'phone' | 'ssn' | 'snils' | 'inn' | 'passport' | 'ip' | 'negative' | 'version';

const CONTEXT_WORDS: readonly (readonly [ContextKind, string])[] = [
  ['card', 'card|карт[аыоуе]|visa|mastercard|мир\\b|maestro|amex|кредитк|дебетов'],
  ['phone', 'phone|tel\\b|tel\\.|call|mobile|cell|whatsapp|telegram|тел\\b|тел\\.|телефон|звон|позвон|моб|сотов|номер телефона'],
  ['ssn', 'ssn|social security'],
  ['snils', 'снилс|snils'],
  ['inn', 'инн|inn\\b|taxpayer|tax id|налогоплательщик'],
  ['passport', 'паспорт|passport|серия|серии'],
  ['ip', 'ip\\b|ipv4|ipv6|хост|host|server|сервер|адрес'],
  ['negative', 'iban|bic|swift|order|invoice|заказ|сч[её]т[ау]?\\b|накладн|tracking|трек|ticket|тикет|артикул|sku|ref\\b|reference|id\\b|ид\\b|код\\b|code|isbn|договор|contract|transaction|транзакц|платеж|платёж|part|serial|серийн|batch|партия|account|лицев'],
  ['version', 'version|верси|build|сборк|release|релиз|v\\.|ver\\.'],
];

// words start at a word start; `\\b` is ASCII-only in JS, so a word end is written as "no letter or digit follows"
const CONTEXT_RE = new RegExp(
  CONTEXT_WORDS.map(([, words], i) => `(?<![a-zа-яё0-9])(?<k${i}>${words.replaceAll('\\b', '(?![a-zа-яё0-9])')})`).join('|'),
  'g',
);

const SENTENCE_END = /[A-Za-zА-Яа-яЁё0-9)]{2}[.!?]\s+(?=[A-ZА-ЯЁ])/g;

/** The kind of the context word nearest before `index` in `text`, or null. */
export function contextBefore(text: string, index: number): ContextKind | null {
  const from = Math.max(0, index - CONTEXT_BEFORE_CHARS);
  const raw = text.slice(from, index);
  // a line or sentence boundary cuts context; "Тел. 912…" or "No. 5" is an abbreviation, not a boundary
  let cut = Math.max(raw.lastIndexOf('\n'), raw.lastIndexOf('; '));
  SENTENCE_END.lastIndex = Math.max(0, cut);
  for (let m = SENTENCE_END.exec(raw); m !== null; m = SENTENCE_END.exec(raw)) cut = Math.max(cut, m.index + m[0].length - 1);
  const scope = (cut >= 0 ? raw.slice(cut + 1) : raw).toLowerCase();
  CONTEXT_RE.lastIndex = 0;
  let kind: ContextKind | null = null;
  for (let m = CONTEXT_RE.exec(scope); m !== null; m = CONTEXT_RE.exec(scope)) {
    const groups = m.groups ?? {};
    for (let i = 0; i < CONTEXT_WORDS.length; i += 1) {
      if (groups[`k${i}`] !== undefined) kind = CONTEXT_WORDS[i]?.[0] ?? null;
    }
  }
  return kind;
}
