import type { NormalizedWord } from './normalize.js';

/**
 * The abuse lexicon, EN and RU, as patterns over normalised words (see normalize.ts).
 * English entries match the collapsed form (so "fuuuck" and "asshole" → "ashole" match);
 * Russian obscene vocabulary is built from a handful of roots with prefixes and endings
 * (мат morphology: на-хуй, по-хуй, о-ху-еть, за-еб-ал, вы-еб-он, с-пизд-ить, долбо-ёб), with the
 * prefix list closed so that тебе, небо, хлеба, ребёнок, учеба, хулиган, худой, сукно do not match.
 * Scores are the severity of the worst entry: slurs and threats ≈ 0.95, obscenities 0.7–0.9,
 * insults 0.4–0.6.
 */
interface Entry {
  readonly re: RegExp;
  readonly score: number;
}

const EN: readonly Entry[] = [
  { re: /^(?:nigg(?:er|ers|a|as|ah|az)|faggots?|fags?|kikes?|chinks?|spics?|trannys?|retards?|retarded)$/, score: 0.95 },
  { re: /^kys$/, score: 0.9 },
  { re: /^(?:mother|mutha)?fuck|fuck(?:s|ed|er|ers|ing|in|face|head|wit|tard)?$|^f\*+k|^f\*ck|^fck(?:ing)?$|^stfu$/, score: 0.8 },
  { re: /^cunts?$|^twats?$/, score: 0.9 },
  { re: /^(?:bitch|bitches|bitchy|whores?|sluts?|slutty)$|^b\*tch/, score: 0.8 },
  { re: /^(?:ashole|asholes|arsehole|arseholes|dickhead|dickheads|motherfucker|wanker|wankers|douchebag)$/, score: 0.8 },
  { re: /^(?:shit|shits|shity|bulshit|horseshit|shithead|sh\*t|dick|dicks|cock|cocks|pussy|bastard|bastards|dumbas|jackas)$/, score: 0.6 },
  { re: /^(?:idiot|idiots|moron|morons|stupid|dumb|loser|losers|scumbag|imbecile|jerk|crap|damn)$/, score: 0.4 },
];

// closed list: no bare с- or в- (себе, веб), no не- (небо)
const RU_PREFIX = '(?:(?:на|по|о|от|ото|за|ни|до|вы|с|об|обо|под|раз|рас|у|пере|при|про|из|недо|долбо|в)ъ|на|по|о|от|ото|за|ни|до|вы|об|под|раз|рас|у|пере|при|про|из|недо|долбо)?';
const RU: readonly Entry[] = [
  { re: /^(?:пид[оа]р|пидр|педик|ниггер)/, score: 0.95 },
  { re: /пизд|пезд/, score: 0.9 },
  { re: new RegExp(`^${RU_PREFIX}ху(?:й|я|е|ё|ю|и(?:л|н|ще))`), score: 0.85 },
  { re: new RegExp(`^${RU_PREFIX}[её]б(?:а|у|л|н|ё|е|и|ы|ш|с|т|к|о|ь|$)`), score: 0.85 },
  { re: /залуп|^манд[ауеыо]$|мандавош|^г[ао]ндон/, score: 0.8 },
  { re: /^бля(?:$|д|т)|^шлюх|^ублюд|^мраз[ьи]/, score: 0.8 },
  { re: /^сук(?:а|и|е|у|ой|ам|ами|ах|ин|ины|ину|иным?)$|^сучк|^сучар/, score: 0.75 },
  { re: /^муда[кч]|^мудил|^мудозвон|^мудень/, score: 0.75 },
  { re: /дерьм|^говн|^засранец|^срань|^жоп[аеуы]$/, score: 0.5 },
  { re: /^(?:дебил|идиот|дурак|дура|урод|тварь|твари|чмо|лох|кретин|придурок|придурк|скотина)[а-я]{0,3}$/, score: 0.45 },
];

/** Latin transliterations of the Russian roots ("blyat", "pizdec", "nahuy"). */
const RU_TRANSLIT: readonly Entry[] = [
  { re: /^(?:na|po|o|ni)?hu[iyj](?:nya|lo)?$|^pizd|^bl[iy]a[dt]|^suka$|^eba[tln]|^yoba/, score: 0.8 },
];

/** Severity of a normalised word, or 0 when it is not in the lexicon. */
export function severity(word: NormalizedWord): number {
  const lists = word.cyrillic ? [RU] : [EN, RU_TRANSLIT];
  let best = 0;
  for (const list of lists) {
    for (const e of list) {
      if (e.score > best && (e.re.test(word.collapsed) || e.re.test(word.plain))) best = e.score;
    }
  }
  return best;
}
