import { gql, isAbort } from './api.js';
import { h, uniqueId } from './dom.js';
import { SEARCH, type SearchData, type SearchHit } from './operations.js';

export type Hit = SearchHit['entity'] & { matched: string };

interface Options {
  label: string;
  placeholder: string;
  onChoose(hit: Hit): void;
  /** Told of API errors (the box itself shows "no match" and the like). */
  onError(err: unknown): void;
}

const RESULTS = 8;
const PAUSE_MS = 120;

/**
 * A search field with results as you type, after the ARIA combobox pattern on a search input: the results
 * are options of a listbox the field controls, the active one named by aria-activedescendant. Arrows move,
 * Enter chooses (the first hit when none is active), Escape closes the list, then clears the field.
 */
export class SearchBox {
  readonly element: HTMLElement;
  readonly input: HTMLInputElement;
  private readonly list: HTMLUListElement;
  private readonly hint: HTMLElement;
  private hits: Hit[] = [];
  private active = -1;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private request: AbortController | undefined;

  constructor(private readonly options: Options) {
    const inputId = uniqueId('search');
    const listId = uniqueId('results');
    this.input = h('input', {
      id: inputId,
      type: 'search',
      autocomplete: 'off',
      spellcheck: 'false',
      placeholder: options.placeholder,
      'aria-autocomplete': 'list',
      'aria-controls': listId,
    });
    this.list = h('ul', {
      id: listId,
      role: 'listbox',
      'aria-label': `${options.label}: results`,
      hidden: true,
    });
    this.hint = h('p', { class: 'hint', 'aria-live': 'polite' });
    this.element = h(
      'div',
      { class: 'search-box' },
      h('label', { for: inputId }, options.label),
      this.input,
      this.list,
      this.hint,
    );
    this.input.addEventListener('input', () => this.schedule());
    this.input.addEventListener('keydown', (e) => this.key(e));
    this.input.addEventListener('blur', () => this.close());
    this.input.addEventListener('focus', () => {
      if (this.hits.length > 0 && this.input.value.trim()) this.open();
    });
  }

  get value(): string {
    return this.input.value.trim();
  }

  /** Shows a name without searching for it (a state restored from the URL). */
  set value(text: string) {
    this.input.value = text;
    this.hits = [];
    this.close();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.request?.abort();
    const text = this.value;
    if (!text) {
      this.hits = [];
      this.hint.textContent = '';
      this.close();
      return;
    }
    this.timer = setTimeout(() => void this.search(text), PAUSE_MS);
  }

  private async search(text: string): Promise<void> {
    const request = new AbortController();
    this.request = request;
    try {
      const data = await gql<SearchData>(SEARCH, { text, first: RESULTS }, request.signal);
      if (request.signal.aborted) return;
      this.show(data.search.map((hit) => ({ ...hit.entity, matched: hit.matched })));
    } catch (err) {
      if (isAbort(err)) return;
      this.show([]);
      this.options.onError(err);
    }
  }

  private show(hits: Hit[]): void {
    this.hits = hits;
    this.active = -1;
    this.input.removeAttribute('aria-activedescendant');
    this.list.replaceChildren(
      ...hits.map((hit, i) => {
        const also = hit.matched !== hit.name ? `, matched “${hit.matched}”` : '';
        const option = h(
          'li',
          {
            id: `${this.list.id}-${i}`,
            role: 'option',
            'aria-selected': 'false',
            'aria-label': `${hit.name} (${hit.kind})${also}`,
          },
          h('span', { class: `swatch kind-${hit.kind}`, 'aria-hidden': 'true' }),
          h('span', { class: 'option-name' }, hit.name),
          h('span', { class: 'option-kind' }, hit.kind),
          also ? h('span', { class: 'option-matched' }, hit.matched) : null,
        );
        // mousedown, not click: the field keeps its focus, so its blur does not close the list first.
        option.addEventListener('mousedown', (e) => {
          e.preventDefault();
          this.choose(i);
        });
        return option;
      }),
    );
    this.hint.textContent =
      hits.length === 0 ? 'No match.' : `${hits.length} result${hits.length === 1 ? '' : 's'}.`;
    if (hits.length > 0 && document.activeElement === this.input) this.open();
    else this.close();
  }

  private open(): void {
    this.list.hidden = false;
  }

  private close(): void {
    this.list.hidden = true;
    this.setActive(-1);
  }

  private setActive(index: number): void {
    this.active = index;
    for (const [i, option] of [...this.list.children].entries()) {
      option.setAttribute('aria-selected', String(i === index));
    }
    const option = index >= 0 ? this.list.children[index] : undefined;
    if (option) {
      this.input.setAttribute('aria-activedescendant', option.id);
      option.scrollIntoView({ block: 'nearest' });
    } else {
      this.input.removeAttribute('aria-activedescendant');
    }
  }

  private key(e: KeyboardEvent): void {
    const n = this.hits.length;
    switch (e.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        if (n === 0) return;
        e.preventDefault();
        this.open();
        const step = e.key === 'ArrowDown' ? 1 : -1;
        this.setActive(this.active < 0 ? (step > 0 ? 0 : n - 1) : (this.active + step + n) % n);
        return;
      }
      case 'Enter': {
        if (this.list.hidden && this.active < 0 && n === 0) return;
        e.preventDefault();
        if (n > 0) this.choose(Math.max(this.active, 0));
        return;
      }
      case 'Escape': {
        e.preventDefault();
        if (!this.list.hidden) this.close();
        else this.value = '';
        return;
      }
    }
  }

  private choose(index: number): void {
    const hit = this.hits[index];
    if (!hit) return;
    clearTimeout(this.timer);
    this.request?.abort();
    this.input.value = hit.name;
    this.close();
    this.hint.textContent = '';
    this.options.onChoose(hit);
  }
}
