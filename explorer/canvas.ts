import cytoscape from 'cytoscape';
import type { Edge, Entity, Kind } from './operations.js';

/** Okabe and Ito's palette (told apart with most colour vision deficiencies), then two more. */
export const KIND_COLOURS: Record<Kind, string> = {
  Company: '#0072b2',
  Product: '#e69f00',
  Market: '#009e73',
  City: '#56b4e9',
  Person: '#cc79a7',
  Website: '#d55e00',
  Office: '#f0e442',
  Statement: '#8c8c8c',
  Article: '#6a3d9a',
};

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif';

const STYLE: cytoscape.StylesheetJson = [
  {
    selector: 'node',
    style: {
      'background-color': 'data(colour)',
      label: 'data(label)',
      'font-family': FONT,
      'font-size': 12,
      color: '#1f2937',
      'text-valign': 'bottom',
      'text-margin-y': 4,
      'text-wrap': 'ellipsis',
      'text-max-width': '140px',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.75,
      'text-background-padding': '1px',
      'min-zoomed-font-size': 6,
      width: 26,
      height: 26,
      'border-width': 1,
      'border-color': '#ffffff',
    },
  },
  { selector: 'node.focus', style: { width: 38, height: 38, 'border-width': 3, 'border-color': '#111827' } },
  { selector: 'node.path', style: { 'border-width': 3, 'border-color': '#b45309' } },
  { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#1d4ed8' } },
  {
    selector: 'edge',
    style: {
      width: 2,
      'curve-style': 'bezier',
      'line-color': '#475569',
      'target-arrow-color': '#475569',
      'target-arrow-shape': 'triangle',
      'arrow-scale': 0.9,
      label: 'data(type)',
      'font-family': FONT,
      'font-size': 9,
      color: '#334155',
      'text-rotation': 'autorotate',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.8,
      'text-background-padding': '1px',
      'min-zoomed-font-size': 8,
    },
  },
  {
    selector: 'edge[status = "CONFIRMED"]',
    style: { width: 3, 'line-color': '#0f172a', 'target-arrow-color': '#0f172a' },
  },
  {
    selector: 'edge[status = "REPORTED"]',
    style: { 'line-color': '#a3b1c2', 'target-arrow-color': '#a3b1c2' },
  },
  {
    selector: 'edge[status = "SPECULATED"]',
    style: {
      'line-color': '#a3b1c2',
      'target-arrow-color': '#a3b1c2',
      'line-style': 'dashed',
      'line-dash-pattern': [6, 4],
    },
  },
  {
    selector: 'edge.path',
    style: { width: 4, 'line-color': '#d97706', 'target-arrow-color': '#d97706', 'z-index': 5 },
  },
  {
    selector: 'edge:selected',
    style: { width: 5, 'line-color': '#1d4ed8', 'target-arrow-color': '#1d4ed8', 'z-index': 10 },
  },
];

export interface CanvasHandlers {
  onNode(id: string): void;
  onEdge(id: string): void;
  onExpand(id: string): void;
  /** After the first frame with these elements is drawn. */
  onDrawn(nodes: number, edges: number): void;
}

export interface Drawing {
  nodes: Entity[];
  edges: Edge[];
  focus: string | null;
  /** Ids of the nodes and edges on a path found. */
  path: Set<string>;
}

/** The graph drawn with Cytoscape.js (a 2D canvas: no GPU needed), kept in step with what the page shows. */
export class GraphCanvas {
  private readonly cy: cytoscape.Core;
  private focus: string | null = null;

  constructor(
    private readonly container: HTMLElement,
    private readonly handlers: CanvasHandlers,
  ) {
    this.cy = cytoscape({
      container,
      style: STYLE,
      minZoom: 0.2,
      maxZoom: 3,
      selectionType: 'single',
      boxSelectionEnabled: false,
    });
    this.cy.on('tap', 'node', (e) => handlers.onNode(e.target.id()));
    this.cy.on('tap', 'edge', (e) => handlers.onEdge(e.target.id()));
    this.cy.on('dbltap', 'node', (e) => handlers.onExpand(e.target.id()));
  }

  /** Shows exactly these elements: removes the others, adds the new ones, lays out when anything changed. */
  draw(drawing: Drawing): void {
    const cy = this.cy;
    const nodeIds = new Set(drawing.nodes.map((n) => n.id));
    const edgeIds = new Set(drawing.edges.map((e) => e.id));
    const before = new Set(cy.elements().map((el) => el.id()));
    const gone = cy.elements().filter((el) => !(el.isNode() ? nodeIds : edgeIds).has(el.id()));
    const added: cytoscape.ElementDefinition[] = [];
    for (const node of drawing.nodes) {
      if (before.has(node.id)) continue;
      added.push({
        group: 'nodes',
        data: { id: node.id, label: node.name, colour: KIND_COLOURS[node.kind] },
        position: this.startingPoint(drawing.edges, node.id),
      });
    }
    for (const edge of drawing.edges) {
      if (before.has(edge.id)) continue;
      added.push({
        group: 'edges',
        data: { id: edge.id, source: edge.from, target: edge.to, type: edge.type, status: edge.status },
      });
    }
    const refocused = drawing.focus !== this.focus;
    const changed = gone.length > 0 || added.length > 0 || refocused;
    this.focus = drawing.focus;
    cy.batch(() => {
      gone.remove();
      cy.add(added);
      cy.elements().forEach((el) => {
        el.toggleClass('focus', el.id() === drawing.focus);
        el.toggleClass('path', drawing.path.has(el.id()));
      });
    });
    this.container.dataset.nodes = String(cy.nodes().length);
    this.container.dataset.edges = String(cy.edges().length);
    // A new focus or a mostly new graph is laid out afresh; smaller changes move the nodes already placed little.
    if (changed) this.layout(refocused || added.length > before.size);
    else this.whenDrawn();
  }

  /** New nodes start beside a neighbour already placed, so a layout after an expansion moves little. */
  private startingPoint(edges: Edge[], id: string): cytoscape.Position | undefined {
    for (const edge of edges) {
      const other = edge.from === id ? edge.to : edge.to === id ? edge.from : null;
      const placed = other ? this.cy.getElementById(other) : null;
      if (placed && placed.length > 0) {
        // Around it, at an angle taken from the id: the same graph always starts the same.
        const p = placed.position();
        const angle = [...id].reduce((a, c) => (a * 31 + c.charCodeAt(0)) % 360, 7) * (Math.PI / 180);
        return { x: p.x + Math.cos(angle) * 40, y: p.y + Math.sin(angle) * 40 };
      }
    }
    return undefined;
  }

  /**
   * Rings around the focus by distance (the neighbourhood as a person reads it), then a short force-directed
   * pass (Cytoscape's own cose) from there to untangle them. No randomness: the same graph is drawn the same.
   */
  layout(fresh = true): void {
    const cy = this.cy;
    if (cy.elements().length === 0) {
      this.whenDrawn();
      return;
    }
    if (fresh) {
      const level = this.levels();
      const deepest = Math.max(0, ...level.values());
      cy.layout({
        name: 'concentric',
        animate: false,
        fit: false,
        avoidOverlap: true,
        minNodeSpacing: 24,
        concentric: (node) => deepest - (level.get(node.id()) ?? deepest),
        levelWidth: () => 1,
      }).run();
    }
    const layout = cy.layout({
      name: 'cose',
      animate: false,
      randomize: false,
      fit: false,
      nodeDimensionsIncludeLabels: true,
      idealEdgeLength: () => 100,
      nodeRepulsion: () => 12000,
      // Fewer rounds for big drawings: the rings it starts from are already readable.
      numIter: Math.round(Math.min(400, Math.max(100, 40_000 / cy.nodes().length))),
    });
    layout.one('layoutstop', () => {
      this.stretch();
      cy.fit(undefined, 30);
      this.whenDrawn();
    });
    layout.run();
  }

  /** Widens a drawing rounder than the canvas is wide: labels are horizontal, so they get the room. */
  private stretch(): void {
    const box = this.cy.nodes().boundingBox({ includeLabels: false });
    const wanted = this.container.clientWidth / Math.max(1, this.container.clientHeight);
    const factor = wanted / Math.max(0.1, box.w / Math.max(1, box.h));
    if (factor <= 1.1 || this.cy.nodes().length < 3) return;
    const middle = box.x1 + box.w / 2;
    this.cy.nodes().positions((node) => {
      const p = node.position();
      return { x: middle + (p.x - middle) * factor, y: p.y };
    });
  }

  /** Hops from the focus (or the first node) over the drawn edges; parts not reached come last. */
  private levels(): Map<string, number> {
    const cy = this.cy;
    const start = this.focus ? cy.getElementById(this.focus) : cy.nodes().first();
    const level = new Map<string, number>();
    if (start.length > 0) {
      cy.elements().bfs({
        roots: start,
        directed: false,
        visit: (node, _edge, _previous, _i, depth) => {
          level.set(node.id(), depth);
        },
      });
    }
    const far = Math.max(0, ...level.values()) + 1;
    for (const node of cy.nodes()) if (!level.has(node.id())) level.set(node.id(), far);
    return level;
  }

  fit(): void {
    this.cy.fit(undefined, 30);
  }

  /** Marks the node or edge selected (or nothing), without telling the handlers. */
  select(id: string | null): void {
    this.cy.$(':selected').unselect();
    if (id) this.cy.getElementById(id).select();
  }

  private whenDrawn(): void {
    this.cy.one('render', () => {
      this.container.dataset.drawn = String(Number(this.container.dataset.drawn ?? 0) + 1);
      this.handlers.onDrawn(this.cy.nodes().length, this.cy.edges().length);
    });
    // A frame is due only when something changed; ask for one so the callback comes.
    this.cy.forceRender();
  }
}
