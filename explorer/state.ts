import { STATUSES, type Status } from './operations.js';

/**
 * What the page shows, all of it in the URL's query string, so a link (or a reload) restores the same view.
 * Entities are named as a person would name them: the API takes any name or alias.
 */
export interface ViewState {
  /** The entity whose neighbourhood is drawn. */
  focus: string | null;
  /** The entity whose card is open, when it is not the focus. */
  node: string | null;
  depth: 1 | 2 | 3;
  /** Relationship types to follow; null leaves it to the API (every type but MENTIONS). */
  types: string[] | null;
  /** The weakest status shown: SPECULATED shows everything. */
  minStatus: Status;
  /** Entities whose neighbours were added to the canvas. */
  expand: string[];
  /** Entities taken off the canvas. */
  hide: string[];
  /** The selected relationship (its id) and which of its quotes the article shows. */
  edge: string | null;
  quote: number;
  /** The ends of the path finder. */
  from: string | null;
  to: string | null;
}

export const EMPTY_STATE: ViewState = {
  focus: null,
  node: null,
  depth: 1,
  types: null,
  minStatus: 'SPECULATED',
  expand: [],
  hide: [],
  edge: null,
  quote: 0,
  from: null,
  to: null,
};

const TYPE = /^[A-Z][A-Z0-9_]*$/;

function text(value: string | null): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function unique(values: string[]): string[] {
  return [...new Set(values.map((v) => v.trim()).filter((v) => v.length > 0))];
}

/** Reads a query string; anything malformed falls back to the default of its setting. */
export function parseState(search: string): ViewState {
  const p = new URLSearchParams(search);
  const depth = Number(p.get('depth'));
  const min = p.get('min');
  const types = p.get('types');
  const quote = Number(p.get('quote'));
  return {
    focus: text(p.get('focus')),
    node: text(p.get('node')),
    depth: depth === 2 || depth === 3 ? depth : 1,
    types: types === null ? null : unique(types.split(',')).filter((t) => TYPE.test(t)),
    minStatus: STATUSES.find((s) => s === min) ?? 'SPECULATED',
    expand: unique(p.getAll('expand')),
    hide: unique(p.getAll('hide')),
    edge: text(p.get('edge')),
    quote: Number.isInteger(quote) && quote > 0 ? quote : 0,
    from: text(p.get('from')),
    to: text(p.get('to')),
  };
}

/** The query string of a state (with its "?"), settings at their default left out. */
export function formatState(state: ViewState): string {
  const p = new URLSearchParams();
  if (state.focus) p.set('focus', state.focus);
  if (state.node && state.node !== state.focus) p.set('node', state.node);
  if (state.depth !== 1) p.set('depth', String(state.depth));
  if (state.types) p.set('types', state.types.join(','));
  if (state.minStatus !== 'SPECULATED') p.set('min', state.minStatus);
  for (const name of state.expand) p.append('expand', name);
  for (const name of state.hide) p.append('hide', name);
  if (state.edge) p.set('edge', state.edge);
  if (state.edge && state.quote > 0) p.set('quote', String(state.quote));
  if (state.from) p.set('from', state.from);
  if (state.to) p.set('to', state.to);
  const query = p.toString();
  return query ? `?${query}` : '';
}
