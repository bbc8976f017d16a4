import { fill, h } from './dom.js';
import type { Edge, Entity, Subgraph } from './operations.js';
import type { Store } from './store.js';

export interface CardActions {
  onEntity(name: string): void;
  onEdge(id: string): void;
  onExpand(name: string): void;
  onFocus(name: string): void;
  onDismiss(name: string): void;
}

export interface CardView {
  subgraph: Subgraph;
  isFocus: boolean;
  onCanvas: boolean;
  /** Its neighbours are on the canvas already (expanded, or the focus drawn as deep as it goes). */
  expanded: boolean;
  selectedEdge: string | null;
}

/** The properties a person reads on a card, per kind, in the order they matter. */
function properties(e: Entity): [string, string | string[]][] {
  const rows: [string, string | string[] | null | undefined][] = [
    ['Vietnamese name', e.nameVi],
    ['Also known as', e.aliases.length > 0 ? e.aliases : null],
    ['Description', e.description],
    ['Category', e.category],
    ['Price', e.priceUpToUsd ? `up to US$${e.priceUpToUsd.toLocaleString('en-US')}` : null],
    ['Features', e.features?.length ? e.features : null],
    ['Country code', e.countryCode],
    ['Role', e.role],
    ['Language', e.language],
    ['Launched', e.launched],
    ['Office type', e.officeType],
    ['Summary', e.summary],
    ['Title', e.title],
    ['Source', e.url],
    ['Key', e.key],
  ];
  return rows.filter((row): row is [string, string | string[]] => row[1] !== null && row[1] !== undefined);
}

/** The entity's card: its names and properties, then its relationships grouped by type, each with its status. */
export function renderCard(root: HTMLElement, view: CardView, store: Store, actions: CardActions): void {
  const entity = view.subgraph.nodes[0];
  if (!entity) return;
  const id = entity.id;
  const mine = view.subgraph.edges.filter((e) => e.from === id || e.to === id);
  const byType = new Map<string, Edge[]>();
  for (const edge of mine) byType.set(edge.type, [...(byType.get(edge.type) ?? []), edge]);
  const groups = [...byType.entries()].sort(([a], [b]) => a.localeCompare(b));

  const button = (label: string, onClick: () => void, extra: Record<string, string> = {}) => {
    const b = h('button', { type: 'button', ...extra }, label);
    b.addEventListener('click', onClick);
    return b;
  };
  fill(
    root,
    h(
      'header',
      { class: 'card-head' },
      h('h2', { id: 'card-heading' }, entity.name),
      h(
        'p',
        { class: 'card-kind' },
        h('span', { class: `swatch kind-${entity.kind}`, 'aria-hidden': 'true' }),
        entity.kind,
        view.isFocus ? ' · the focus of the graph' : view.onCanvas ? ' · on the canvas' : '',
      ),
    ),
    h(
      'div',
      { class: 'actions' },
      button(view.expanded ? 'Expanded' : 'Expand', () => actions.onExpand(entity.name), {
        title: view.isFocus
          ? 'Draw one hop further from it (or double-click it on the canvas)'
          : 'Add its neighbours to the canvas (or double-click it there)',
        ...(view.expanded ? { disabled: '' } : {}),
      }),
      view.isFocus
        ? null
        : button('Focus', () => actions.onFocus(entity.name), { title: 'Draw its neighbourhood' }),
      view.onCanvas && !view.isFocus
        ? button('Dismiss', () => actions.onDismiss(entity.name), { title: 'Take it off the canvas' })
        : null,
    ),
    h(
      'dl',
      { class: 'properties' },
      properties(entity).flatMap(([label, value]) => [
        h('dt', {}, label),
        h(
          'dd',
          { lang: label === 'Vietnamese name' ? 'vi' : null },
          Array.isArray(value) ? h('ul', { class: 'inline' }, ...value.map((v) => h('li', {}, v))) : value,
        ),
      ]),
    ),
    h('h3', {}, `Relationships (${mine.length}${view.subgraph.truncated ? '+' : ''})`),
    mine.length === 0 ? h('p', { class: 'muted' }, 'None with the current filters.') : null,
    ...groups.map(([type, edges]) =>
      h(
        'section',
        { class: 'rel-group', 'aria-label': `${type} (${edges.length})` },
        h('h4', {}, type, h('span', { class: 'count' }, ` ${edges.length}`)),
        h(
          'ul',
          {},
          ...edges.map((edge) => {
            const outgoing = edge.from === id;
            const other = store.name(outgoing ? edge.to : edge.from);
            return h(
              'li',
              { class: edge.id === view.selectedEdge ? 'selected' : null },
              h(
                'span',
                { class: 'direction', title: outgoing ? 'from this entity' : 'to this entity' },
                outgoing ? '→' : '←',
              ),
              button(other, () => actions.onEntity(other), { class: 'link', title: `Open ${other}` }),
              h('span', { class: `status status-${edge.status}` }, edge.status),
              button('Evidence', () => actions.onEdge(edge.id), {
                class: 'small',
                'aria-label': `Evidence for ${store.edgeText(edge)}`,
                'aria-pressed': String(edge.id === view.selectedEdge),
              }),
            );
          }),
        ),
      ),
    ),
  );
}
