import { describe, expect, it } from 'vitest';
import { inspectText } from '../../../src/introspection/text/index.js';

function toxic(text: string): number[] {
  return inspectText(text).findings.filter((f) => f.type === 'TOXIC').map((f) => f.score);
}

describe('lexicon toxicity (EN/RU)', () => {
  it.each([
    'fuck', 'Fucking', 'FUUUCK', 'f u c k', 'f.u.c.k', 'f*ck', 'sh1t', 'b1tch', 'a$$hole', 'motherfucker', 'cunt',
    'хуй', 'нахуй', 'охуеть', 'ХУЁВЫЙ', 'x y й', 'пиздец', 'спиздил', 'заебал', 'выебон', 'долбоёб', 'съебался', '6лядь',
    'блять', 'сука', 'мудак', 'пидор', 'гандон', 'залупа', 'pizdec', 'blyat', 'п и з д е ц',
  ])('flags %s', (word) => {
    const scores = toxic(`Well, ${word} that.`);
    expect(scores).toHaveLength(1);
    expect(scores[0]).toBeGreaterThan(0.5);
  });

  it.each([
    'тебе', 'себе', 'небо', 'хлеба', 'ребёнок', 'учеба', 'хулиган', 'худой', 'хуже', 'сукно', 'команда', 'веб', 'потребовать',
    'колебание', 'мандарин', 'бляха', 'Scunthorpe', 'cocktail', 'assess', 'classic', 'Niger', 'shitake', 'passage', 'analysis',
  ])('does not flag %s', (word) => {
    expect(toxic(`Well, ${word} that.`)).toEqual([]);
  });

  it('scores insults lower than obscenities and slurs', () => {
    const [insult] = toxic('you idiot');
    const [obscene] = toxic('fuck off');
    expect(insult).toBeDefined();
    expect(obscene).toBeDefined();
    expect(insult ?? 1).toBeLessThan(obscene ?? 0);
  });

  it('reports without redacting', () => {
    expect(inspectText('oh shit, again').output).toBe('oh shit, again');
  });
});
