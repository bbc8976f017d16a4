import { h } from './dom.js';
import type { Path } from './operations.js';
import { SearchBox } from './search-box.js';
import type { Store } from './store.js';

export interface PathFinderActions {
  onFind(from: string, to: string): void;
  onClear(): void;
  onEdge(id: string): void;
  onError(err: unknown): void;
}

/** Two ends, each with search as you type, and the shortest paths between them, hop by hop with evidence. */
export class PathFinder {
  readonly from: SearchBox;
  readonly to: SearchBox;
  private readonly results: HTMLElement;

  constructor(
    root: HTMLElement,
    private readonly store: Store,
    private readonly actions: PathFinderActions,
  ) {
    this.from = new SearchBox({
      label: 'From',
      placeholder: 'e.g. Koma Trade',
      onChoose: () => this.to.input.focus(),
      onError: actions.onError,
    });
    this.to = new SearchBox({
      label: 'To',
      placeholder: 'e.g. Samsung',
      onChoose: () => this.find(),
      onError: actions.onError,
    });
    const find = h('button', { type: 'submit', class: 'primary' }, 'Find path');
    const clear = h('button', { type: 'button' }, 'Clear');
    clear.addEventListener('click', () => {
      this.from.value = '';
      this.to.value = '';
      actions.onClear();
    });
    const form = h(
      'form',
      { class: 'path-form', 'aria-label': 'Path finder' },
      this.from.element,
      this.to.element,
      h('div', { class: 'actions' }, find, clear),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.find();
    });
    this.results = h('div', { class: 'path-results', 'aria-live': 'polite' });
    root.append(form, this.results);
  }

  private find(): void {
    if (this.from.value && this.to.value) this.actions.onFind(this.from.value, this.to.value);
  }

  setEnds(from: string | null, to: string | null): void {
    if (from !== this.from.value && document.activeElement !== this.from.input) this.from.value = from ?? '';
    if (to !== this.to.value && document.activeElement !== this.to.input) this.to.value = to ?? '';
  }

  show(paths: Path[] | null, error: string | null, selectedEdge: string | null): void {
    if (error) {
      this.results.replaceChildren(h('p', { role: 'alert', class: 'error' }, error));
      return;
    }
    if (!paths) {
      this.results.replaceChildren();
      return;
    }
    const first = paths[0];
    if (!first) {
      this.results.replaceChildren(h('p', {}, 'No path within 4 hops with the current filters.'));
      return;
    }
    const summary = `${paths.length} shortest path${paths.length === 1 ? '' : 's'} of ${first.length} hop${first.length === 1 ? '' : 's'}, drawn on the canvas.`;
    this.results.replaceChildren(
      h('p', { class: 'path-summary' }, summary),
      h(
        'ol',
        { class: 'paths', 'aria-label': 'Shortest paths' },
        ...paths.map((path, p) =>
          h(
            'li',
            {},
            h('h3', {}, `Path ${p + 1}: ${path.nodes.map((n) => n.name).join(' – ')}`),
            h(
              'ol',
              { class: 'hops', 'aria-label': `Hops of path ${p + 1}` },
              ...path.hops.map((hop) => {
                const select = h(
                  'button',
                  {
                    type: 'button',
                    class: 'link',
                    'aria-pressed': String(hop.edge.id === selectedEdge),
                  },
                  this.store.edgeText(hop.edge),
                );
                select.addEventListener('click', () => this.actions.onEdge(hop.edge.id));
                return h(
                  'li',
                  {},
                  h(
                    'p',
                    { class: 'hop-step' },
                    `${this.store.name(hop.from.id)} → ${this.store.name(hop.to.id)}`,
                    hop.direction === 'BACKWARD'
                      ? h('span', { class: 'muted' }, ' (against the arrow)')
                      : null,
                  ),
                  select,
                  h(
                    'ul',
                    { class: 'hop-evidence' },
                    ...hop.edge.evidence.map((item) =>
                      h(
                        'li',
                        {},
                        h('q', { lang: 'vi' }, item.quote),
                        ' ',
                        h('span', { class: `status status-${item.status}` }, item.status),
                      ),
                    ),
                  ),
                );
              }),
            ),
          ),
        ),
      ),
    );
  }
}
