import { ExportError } from '../facts/export.js';
import { builder } from './builder.js';
import { badInput, ClientError, notFound } from './errors.js';

/*
 * Query.export: the graph, or one article's part of it, as the text of a facts file (src/facts/export.ts), the
 * very text `npm run export` writes. A string rather than typed objects: what a client wants of it is a file to
 * keep or ingest again, and a kind's properties have no one GraphQL shape. It reads nothing a reader cannot
 * already see (retractions name their keys in every relationship field), so it needs the read scope only.
 */

/**
 * The most entities and relationships one answer may hold. The answer is built in memory and sent whole, so
 * a large graph is exported on the server (`npm run export`, which streams to a file) instead.
 */
export const MAX_EXPORT_ITEMS = 10_000;

/** The cost of one article's document, and of the whole graph: large answers, priced so a few use the budget. */
const ARTICLE_COST = 1_000;
const GRAPH_COST = 10_000;

builder.queryField('export', (t) =>
  t.string({
    description:
      'The graph in the facts file format, as the text of a facts file: ingesting it (`npm run ingest`) into an ' +
      "empty database gives the same graph. With `article`, that article's document: its text, the entities its " +
      "facts and mentions touch, each fact with that article's evidence (retracted ones with their retraction), " +
      `its mentions. Without, every article's document and then the entities no article touches, as a JSON array, while the graph holds at most ${MAX_EXPORT_ITEMS} ` +
      'entities and relationships (a larger one: `npm run export` on the server).',
    args: {
      article: t.arg.id({
        description: 'An article\'s id (e.g. "article:xiaomi-korea-vi"); leave out for the whole graph.',
      }),
    },
    complexity: (args) => (args.article == null ? GRAPH_COST : ARTICLE_COST),
    async resolve(_root, args, ctx) {
      const article = args.article == null ? null : String(args.article);
      try {
        return await ctx.graph.exportText(article, MAX_EXPORT_ITEMS);
      } catch (err) {
        if (!(err instanceof ExportError)) throw err;
        switch (err.problem) {
          case 'missing':
            throw notFound(article ?? '', 'article');
          case 'too-large':
            throw badInput(
              article === null
                ? `${err.message} Export one article at a time (article), or the whole graph with npm run export.`
                : `${err.message} Export it with npm run export -- <file> --article ${article}.`,
              'article',
            );
          case 'empty':
            throw new ClientError('NOT_FOUND', err.message);
          case 'changed':
            throw new ClientError('CONFLICT', err.message);
          default:
            // What the format cannot carry is the data's problem, not the client's: logged with the request id.
            throw err;
        }
      }
    },
  }),
);
