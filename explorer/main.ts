import './style.css';
import { gql } from './api.js';
import { GraphCanvas, KIND_COLOURS } from './canvas.js';
import { renderCard } from './card.js';
import { byId, h } from './dom.js';
import { EvidencePanel } from './evidence.js';
import {
  type Edge,
  type Entity,
  type Filters,
  KINDS,
  MENTIONS,
  type Path,
  RELATIONSHIP_TYPES,
  type RelationshipTypesData,
  STATUSES,
  type Status,
  type Subgraph,
} from './operations.js';
import { PathFinder } from './path-finder.js';
import { SearchBox } from './search-box.js';
import { formatState, parseState, type ViewState } from './state.js';
import { NEIGHBORHOOD_LIMIT, Store } from './store.js';

const STATUS_CHOICES: Record<Status, string> = {
  SPECULATED: 'Speculated or stronger (all)',
  REPORTED: 'Reported or stronger',
  STATED: 'Stated or stronger',
  CONFIRMED: 'Confirmed only',
};

const EXAMPLES = ['Xiaomi', 'Koma Trade', 'Hàn Quốc', 'Samsung'];

/** What a person reads of a failure: the API's own message (NOT_FOUND quotes the name), or the browser's. */
function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

type Outcome<T> = { value: T; error: null } | { value: null; error: string };

async function settle<T>(promise: Promise<T> | null): Promise<Outcome<T> | null> {
  if (!promise) return null;
  try {
    return { value: await promise, error: null };
  } catch (err) {
    return { value: null, error: message(err) };
  }
}

/**
 * The page: state in the URL, answers from the public GraphQL API, and views that follow both. Every change
 * goes through update(), which writes the URL, then sync(), which asks what it does not know yet and redraws.
 */
class Explorer {
  private state: ViewState = parseState(location.search);
  private readonly store = new Store();
  private readonly canvas: GraphCanvas;
  private readonly search: SearchBox;
  private readonly paths: PathFinder;
  private readonly evidence: EvidencePanel;
  private relationshipTypes: string[] = [];
  private generation = 0;
  private drawnOnce = false;
  /** What is on the canvas now, for the lists and the card's buttons. */
  private drawn: { nodes: Entity[]; edges: Edge[] } = { nodes: [], edges: [] };
  /** The entity whose neighbourhood is drawn, by id (the URL names it in any spelling). */
  private focusId: string | null = null;

  constructor() {
    this.search = new SearchBox({
      label: 'Search',
      placeholder: 'A company, product, market, person… in any spelling',
      onChoose: (hit) => this.focus(hit.name),
      onError: (err) => this.announce(message(err), true),
    });
    byId('search', HTMLElement).append(this.search.element);
    this.canvas = new GraphCanvas(byId('canvas', HTMLElement), {
      onNode: (id) => this.update({ node: this.store.name(id) }),
      onEdge: (id) => this.update({ edge: id, quote: 0 }),
      onExpand: (id) => this.expand(this.store.name(id)),
      onDrawn: (nodes, edges) => this.drawnNow(nodes, edges),
    });
    this.paths = new PathFinder(byId('path-finder', HTMLElement), this.store, {
      onFind: (from, to) => this.update({ from, to }, 'push'),
      onClear: () => this.update({ from: null, to: null }, 'push'),
      onEdge: (id) => this.update({ edge: id, quote: 0 }),
      onError: (err) => this.announce(message(err), true),
    });
    this.evidence = new EvidencePanel(
      byId('evidence', HTMLElement),
      byId('article', HTMLElement),
      this.store,
      (quote) => this.update({ quote }),
    );
    this.buildToolbar();
    this.buildFilters();
    this.buildLegend();
    window.addEventListener('popstate', () => {
      this.state = parseState(location.search);
      void this.sync();
    });
    void this.loadRelationshipTypes();
    void this.sync();
  }

  private update(change: Partial<ViewState>, history: 'push' | 'replace' = 'replace'): void {
    this.state = { ...this.state, ...change };
    const url = `${location.pathname}${formatState(this.state)}`;
    if (history === 'push') window.history.pushState(null, '', url);
    else window.history.replaceState(null, '', url);
    void this.sync();
  }

  private focus(name: string): void {
    this.update({ focus: name, node: null, expand: [], hide: [], edge: null, quote: 0 }, 'push');
  }

  /** Its neighbours join the canvas; for the focus itself, the drawing goes one hop further. */
  private expand(name: string): void {
    const s = this.state;
    if (!s.focus) {
      this.focus(name);
      return;
    }
    if (this.isFocus(name)) {
      if (s.depth < 3) this.update({ depth: s.depth === 1 ? 2 : 3 });
      return;
    }
    this.update({
      expand: s.expand.includes(name) ? s.expand : [...s.expand, name],
      hide: s.hide.filter((n) => n !== name),
    });
  }

  private isFocus(name: string): boolean {
    return name === this.state.focus || this.store.nodes.get(this.focusId ?? '')?.name === name;
  }

  private filters(): Filters {
    return { ...(this.state.types ? { types: this.state.types } : {}), minStatus: this.state.minStatus };
  }

  /** Asks for what the state needs (answers already known cost nothing) and redraws everything from it. */
  private async sync(): Promise<void> {
    const generation = ++this.generation;
    const s = this.state;
    const f = this.filters();
    const cardName = s.node ?? s.focus;
    this.reflectControls();
    this.announce('');
    document.body.setAttribute('aria-busy', 'true');
    const [graph, card, paths, ...expansions] = await Promise.all([
      settle(s.focus ? this.store.neighbourhood(s.focus, s.depth, f) : null),
      settle(cardName ? this.store.neighbourhood(cardName, 1, f) : null),
      settle(s.from && s.to ? this.store.paths(s.from, s.to, f) : null),
      ...s.expand.map((name) => settle(this.store.neighbourhood(name, 1, f))),
    ]);
    if (generation !== this.generation) return;
    document.body.removeAttribute('aria-busy');
    this.drawGraph(graph, paths?.value ?? null, expansions);
    this.paths.show(paths?.value ?? null, paths?.error ?? null, s.edge);
    this.showCard(card, cardName);
    // Only a relationship the page shows (the filters decide) keeps its evidence open.
    const shown = new Set([
      ...this.drawn.edges.map((e) => e.id),
      ...(card?.value?.edges ?? []).map((e) => e.id),
      ...(paths?.value ?? []).flatMap((p) => p.hops.map((hop) => hop.edge.id)),
    ]);
    const edge = s.edge && shown.has(s.edge) ? (this.store.edges.get(s.edge) ?? null) : null;
    this.evidence.show(
      edge,
      s.quote,
      s.edge && !edge ? 'The selected relationship is not shown with these filters.' : null,
    );
    const edgeDrawn = !!edge && this.drawn.edges.some((e) => e.id === edge.id);
    this.canvas.select(edge && edgeDrawn ? edge.id : this.selectedNodeId());
  }

  private selectedNodeId(): string | null {
    const name = this.state.node;
    return name ? (this.drawn.nodes.find((n) => n.name === name)?.id ?? null) : null;
  }

  private drawGraph(
    graph: Outcome<Subgraph> | null,
    paths: Path[] | null,
    expansions: (Outcome<Subgraph> | null)[],
  ): void {
    const s = this.state;
    const nodes = new Map<string, Entity>();
    const edges = new Map<string, Edge>();
    const add = (sub: { nodes: Entity[]; edges: Edge[] }) => {
      for (const n of sub.nodes) nodes.set(n.id, n);
      for (const e of sub.edges) edges.set(e.id, e);
    };
    if (graph?.value) add(graph.value);
    for (const x of expansions) if (x?.value) add(x.value);
    const onPath = new Set<string>();
    for (const path of paths ?? []) {
      const hopEdges = path.hops.map((hop) => hop.edge);
      add({ nodes: path.nodes, edges: hopEdges });
      for (const n of path.nodes) onPath.add(n.id);
      for (const e of hopEdges) onPath.add(e.id);
    }
    const hidden = new Set(s.hide);
    const shownNodes = [...nodes.values()].filter((n) => !hidden.has(n.name) || onPath.has(n.id));
    const shownIds = new Set(shownNodes.map((n) => n.id));
    const shownEdges = [...edges.values()].filter((e) => shownIds.has(e.from) && shownIds.has(e.to));
    this.drawn = { nodes: shownNodes, edges: shownEdges };
    const focus = graph?.value?.nodes[0]?.id ?? null;
    this.focusId = focus;
    this.canvas.draw({ nodes: shownNodes, edges: shownEdges, focus, path: onPath });

    const problems = [graph?.error, ...expansions.map((x) => x?.error)].filter((e): e is string => !!e);
    const empty = byId('canvas-empty', HTMLElement);
    empty.hidden = shownNodes.length > 0 || problems.length > 0;
    const error = byId('canvas-error', HTMLElement);
    error.hidden = problems.length === 0;
    error.textContent = problems.join(' ');
    const truncated = graph?.value?.truncated
      ? ` Some relationships were left out (at most ${NEIGHBORHOOD_LIMIT} are drawn).`
      : '';
    byId('graph-summary', HTMLElement).textContent =
      shownNodes.length > 0
        ? `${shownNodes.length} entities, ${shownEdges.length} relationships.${truncated}`
        : '';
    const restore = byId('restore', HTMLButtonElement);
    restore.hidden = s.hide.length === 0;
    restore.textContent = `Restore dismissed (${s.hide.length})`;
    byId('canvas', HTMLElement).setAttribute(
      'aria-label',
      focus
        ? `Graph around ${nodes.get(focus)?.name}: ${shownNodes.length} entities and ${shownEdges.length} relationships, all listed under “Relationships on the canvas”.`
        : 'Graph: empty until an entity is chosen.',
    );
    this.renderEdgeList(shownEdges, onPath);
  }

  private renderEdgeList(edges: Edge[], onPath: Set<string>): void {
    const list = byId('edge-list', HTMLUListElement);
    byId('edge-count', HTMLElement).textContent = `(${edges.length})`;
    list.replaceChildren(
      ...edges.map((edge) => {
        const button = h(
          'button',
          { type: 'button', class: 'link', 'aria-pressed': String(edge.id === this.state.edge) },
          this.store.edgeText(edge),
        );
        button.addEventListener('click', () => this.update({ edge: edge.id, quote: 0 }));
        return h(
          'li',
          { class: `status-${edge.status}${onPath.has(edge.id) ? ' on-path' : ''}` },
          button,
          onPath.has(edge.id) ? h('span', { class: 'badge' }, 'path') : null,
        );
      }),
    );
  }

  private showCard(card: Outcome<Subgraph> | null, name: string | null): void {
    const root = byId('card', HTMLElement);
    if (!card || !name) {
      root.replaceChildren(
        h('h2', { id: 'card-heading' }, 'Nothing chosen yet'),
        h('p', { class: 'muted' }, 'Search above, or pick a node on the canvas, to see its card here.'),
      );
      return;
    }
    if (card.error !== null) {
      root.replaceChildren(
        h('h2', { id: 'card-heading' }, name),
        h('p', { role: 'alert', class: 'error' }, card.error),
      );
      return;
    }
    const entity = card.value.nodes[0];
    const id = entity?.id;
    renderCard(
      root,
      {
        subgraph: card.value,
        isFocus: id === this.focusId,
        expanded:
          id === this.focusId ? this.state.depth === 3 : this.state.expand.includes(entity?.name ?? name),
        onCanvas: this.drawn.nodes.some((n) => n.id === id),
        selectedEdge: this.state.edge,
      },
      this.store,
      {
        onEntity: (other) => this.update({ node: other }),
        onEdge: (edge) => this.update({ edge, quote: 0 }),
        onExpand: (other) => this.expand(other),
        onFocus: (other) => this.focus(other),
        onDismiss: (other) =>
          this.update({
            hide: [...this.state.hide, other],
            expand: this.state.expand.filter((n) => n !== other),
            node: null,
          }),
      },
    );
  }

  private drawnNow(nodes: number, edges: number): void {
    if (!this.drawnOnce && nodes > 0) {
      this.drawnOnce = true;
      performance.mark('explorer:drawn', { detail: { nodes, edges } });
    }
  }

  private reflectControls(): void {
    const s = this.state;
    if (document.activeElement !== this.search.input) this.search.value = s.focus ?? '';
    this.paths.setEnds(s.from, s.to);
    byId('depth', HTMLSelectElement).value = String(s.depth);
    byId('min-status', HTMLSelectElement).value = s.minStatus;
    for (const box of document.querySelectorAll<HTMLInputElement>('#types input[type=checkbox]')) {
      box.checked = s.types ? s.types.includes(box.value) : box.value !== MENTIONS;
    }
  }

  private buildToolbar(): void {
    const bar = byId('toolbar', HTMLElement);
    const button = (label: string, onClick: () => void, id?: string) => {
      const b = h('button', { type: 'button', id }, label);
      b.addEventListener('click', onClick);
      return b;
    };
    bar.append(
      button('Re-layout', () => this.canvas.layout(true)),
      button('Fit', () => this.canvas.fit()),
      button('Restore dismissed', () => this.update({ hide: [] }), 'restore'),
      h('span', { id: 'graph-summary', class: 'summary', 'aria-live': 'polite' }),
    );
    const empty = byId('canvas-empty', HTMLElement);
    empty.append(
      h('p', {}, 'Search for a company, product, market or person to draw what surrounds it. Try:'),
      h(
        'p',
        { class: 'examples' },
        ...EXAMPLES.map((name) => {
          const b = h('button', { type: 'button' }, name);
          b.addEventListener('click', () => this.focus(name));
          return b;
        }),
      ),
    );
  }

  private buildFilters(): void {
    const root = byId('filters', HTMLElement);
    const depth = h(
      'select',
      { id: 'depth' },
      ...[1, 2, 3].map((d) => h('option', { value: String(d) }, `${d} hop${d === 1 ? '' : 's'}`)),
    );
    depth.addEventListener('change', () => {
      const chosen = Number(depth.value);
      this.update({ depth: chosen === 3 ? 3 : chosen === 2 ? 2 : 1 });
    });
    const status = h(
      'select',
      { id: 'min-status' },
      ...[...STATUSES].reverse().map((s) => h('option', { value: s }, STATUS_CHOICES[s])),
    );
    status.addEventListener('change', () => {
      const chosen = STATUSES.find((s) => s === status.value) ?? 'SPECULATED';
      this.update({ minStatus: chosen });
    });
    root.append(
      h('div', { class: 'field' }, h('label', { for: 'depth' }, 'Depth'), depth),
      h('div', { class: 'field' }, h('label', { for: 'min-status' }, 'Weakest status'), status),
      h(
        'fieldset',
        { id: 'types' },
        h('legend', {}, 'Relationship types'),
        h('p', { class: 'muted' }, 'Loading…'),
      ),
    );
  }

  private async loadRelationshipTypes(): Promise<void> {
    const root = byId('types', HTMLFieldSetElement);
    try {
      const data = await gql<RelationshipTypesData>(RELATIONSHIP_TYPES);
      this.relationshipTypes = [...new Set(data.stats.relationships.map((r) => r.type))].sort();
    } catch (err) {
      root.replaceChildren(h('legend', {}, 'Relationship types'), h('p', { role: 'alert' }, message(err)));
      return;
    }
    const boxes = this.relationshipTypes.map((type) => {
      const box = h('input', { type: 'checkbox', value: type, id: `type-${type}` });
      box.addEventListener('change', () => this.typesChanged());
      return h('li', {}, box, h('label', { for: `type-${type}` }, type));
    });
    const all = h('button', { type: 'button', class: 'small' }, 'All');
    all.addEventListener('click', () => this.update({ types: null }));
    const none = h('button', { type: 'button', class: 'small' }, 'None');
    none.addEventListener('click', () => this.update({ types: [] }));
    root.replaceChildren(
      h('legend', {}, 'Relationship types'),
      h('div', { class: 'actions' }, all, none),
      h('ul', { class: 'checks' }, ...boxes),
    );
    this.reflectControls();
  }

  private typesChanged(): void {
    const checked = [...document.querySelectorAll<HTMLInputElement>('#types input[type=checkbox]')]
      .filter((b) => b.checked)
      .map((b) => b.value);
    const usual = this.relationshipTypes.filter((t) => t !== MENTIONS);
    const isUsual = checked.length === usual.length && usual.every((t) => checked.includes(t));
    this.update({ types: isUsual ? null : checked });
  }

  private buildLegend(): void {
    byId('legend', HTMLElement).append(
      h(
        'ul',
        { class: 'legend-kinds', 'aria-label': 'Node colours' },
        ...KINDS.map((kind) =>
          h('li', {}, h('span', { class: `swatch kind-${kind}`, 'aria-hidden': 'true' }), kind),
        ),
      ),
      h(
        'ul',
        { class: 'legend-statuses', 'aria-label': 'Edge styles' },
        ...STATUSES.map((status) =>
          h('li', {}, h('span', { class: `line line-${status}`, 'aria-hidden': 'true' }), status),
        ),
        h('li', {}, h('span', { class: 'line line-path', 'aria-hidden': 'true' }), 'on a path found'),
      ),
    );
  }

  private announce(text: string, isError = false): void {
    const live = byId('announce', HTMLElement);
    live.textContent = text;
    live.className = isError ? 'announce error' : 'announce';
  }
}

// The kinds' colours are the canvas's; the page's swatches take them from these custom properties.
for (const kind of KINDS) document.documentElement.style.setProperty(`--kind-${kind}`, KIND_COLOURS[kind]);
new Explorer();
