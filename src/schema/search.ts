import { MAX_SEARCH_WORDS, MAX_WORD_LENGTH, type SearchHit, searchWords } from '../graph/search.js';
import { builder } from './builder.js';
import { sizedBy } from './cost.js';
import { EntityKindEnum, EntityRef } from './entity.js';
import { badInput } from './errors.js';
import { type Bounds, bounded, rangeOf } from './paging.js';
import { planField } from './plan.js';

const HITS: Bounds = { min: 0, max: 50, default: 10 };

const SearchHitRef = builder.objectRef<SearchHit>('SearchHit').implement({
  description: 'One answer to a search: the entity, how well it matches and the spelling that matched.',
  fields: (t) => ({
    entity: t.field({ type: EntityRef, resolve: (h) => h.entity }),
    score: t.exposeFloat('score', {
      description:
        'From 0 to 1, higher is better: how many words of the text the matched spelling explains, then how ' +
        'much of that spelling the text covers (1 when they are equal). Hits come in descending score.',
    }),
    matched: t.exposeString('matched', {
      description:
        'The name, Vietnamese name or alias, spelt as in the source, that best explains the hit ' +
        '(e.g. "Hàn Quốc" for the text "han quoc").',
    }),
  }),
});

builder.queryField('search', (t) =>
  t.field({
    type: [SearchHitRef],
    description:
      'Full-text search over the names, Vietnamese names and aliases of every kind of entity, best first. ' +
      'Any word of the text counts, and the more of them a spelling explains the better. Ignores case and ' +
      'diacritics ("han quoc" finds Hàn Quốc), and takes word beginnings ("xiao"), small typos ("Samsnug") ' +
      'and words split or joined differently ("xiao mi", "komatrade"). Only letters and digits of the text count.',
    complexity: sizedBy('first', HITS),
    args: {
      text: t.arg.string({
        required: true,
        description: `What to look for: up to ${MAX_SEARCH_WORDS} words.`,
      }),
      kinds: t.arg({
        type: [EntityKindEnum],
        description: 'Only entities of these kinds (default: all, articles included).',
      }),
      first: t.arg.int({ description: `How many hits, ${rangeOf(HITS)}.` }),
    },
    resolve: async (_root, args, ctx, info) => {
      const first = bounded(args.first, 'first', HITS);
      const words = searchWords(args.text);
      if (words.length === 0) throw badInput('text must contain a letter or a digit.', 'text');
      if (words.length > MAX_SEARCH_WORDS) {
        throw badInput(`text may have up to ${MAX_SEARCH_WORDS} words, got ${words.length}.`, 'text');
      }
      if (words.some((w) => w.length > MAX_WORD_LENGTH)) {
        throw badInput(`text may have words of up to ${MAX_WORD_LENGTH} letters.`, 'text');
      }
      return ctx.graph.search(
        { text: args.text, kinds: args.kinds ?? null, first },
        planField(info, info.fieldNodes, 'entity', 'Entity'),
      );
    },
  }),
);
