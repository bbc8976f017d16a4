import { h } from './dom.js';
import type { Article, Edge } from './operations.js';
import type { Store } from './store.js';

/**
 * The selected relationship's evidence: each quote with its status, and the article with the chosen quote
 * marked where it stands (a <mark> from its start to its end offset), scrolled into view.
 */
export class EvidencePanel {
  private shown = 0;

  constructor(
    private readonly evidence: HTMLElement,
    private readonly reader: HTMLElement,
    private readonly store: Store,
    private readonly onQuote: (index: number) => void,
  ) {}

  show(edge: Edge | null, quote: number, missing: string | null): void {
    const token = ++this.shown;
    const heading = h('h2', { id: 'evidence-heading' }, 'Evidence');
    if (!edge) {
      this.evidence.replaceChildren(
        heading,
        h(
          'p',
          { class: 'muted' },
          missing ?? 'Select a relationship, on the canvas or in a list, to read what the article says.',
        ),
      );
      this.reader.hidden = true;
      this.reader.replaceChildren();
      return;
    }
    const chosen = Math.min(quote, edge.evidence.length - 1);
    this.evidence.replaceChildren(
      heading,
      h('p', { class: 'edge-title' }, this.store.edgeText(edge)),
      h(
        'ol',
        { class: 'quotes' },
        ...edge.evidence.map((item, i) => {
          const b = h(
            'button',
            { type: 'button', class: 'quote', 'aria-pressed': String(i === chosen), lang: 'vi' },
            h('q', {}, item.quote),
          );
          b.addEventListener('click', () => this.onQuote(i));
          return h(
            'li',
            {},
            b,
            h(
              'span',
              { class: 'quote-meta' },
              h('span', { class: `status status-${item.status}` }, item.status),
              ` characters ${item.start}–${item.end}`,
            ),
          );
        }),
      ),
    );
    const item = edge.evidence[chosen];
    if (!item) return;
    this.reader.hidden = false;
    this.reader.setAttribute('aria-busy', 'true');
    this.store.article(item.article.id).then(
      (article) => {
        if (token !== this.shown) return;
        this.renderArticle(article, item.start, item.end);
      },
      (err: unknown) => {
        if (token !== this.shown) return;
        this.reader.removeAttribute('aria-busy');
        this.reader.replaceChildren(
          h('h2', { id: 'article-heading' }, 'Article'),
          h('p', { role: 'alert' }, err instanceof Error ? err.message : String(err)),
        );
      },
    );
  }

  private renderArticle(article: Article, start: number, end: number): void {
    const text = article.text;
    const mark = h('mark', { id: 'quote-in-article' }, text.slice(start, end));
    const body = h(
      'div',
      { class: 'article-text', tabindex: '0', lang: article.language ?? null, 'aria-label': 'Article text' },
      text.slice(0, start),
      mark,
      text.slice(end),
    );
    this.reader.replaceChildren(
      h('h2', { id: 'article-heading' }, 'Article'),
      h('p', { class: 'article-title' }, article.title ?? article.name),
      body,
    );
    this.reader.removeAttribute('aria-busy');
    // The text scrolls inside its box to bring the quote to the middle; the page moves only if the box is
    // out of sight (narrow windows, where the panels stack).
    body.scrollTop = mark.offsetTop - (body.clientHeight - mark.offsetHeight) / 2;
    body.scrollIntoView({ block: 'nearest' });
  }
}
