import { gql } from './api.js';
import {
  ARTICLE,
  type Article,
  type ArticleData,
  type Edge,
  type Entity,
  type Filters,
  filterVariables,
  NEIGHBORHOOD,
  type NeighborhoodData,
  PATHS,
  type Path,
  type PathsData,
  type Subgraph,
} from './operations.js';

/** Most edges a neighbourhood may bring (the API's own bound). */
export const NEIGHBORHOOD_LIMIT = 500;
const PATHS_FIRST = 5;

/**
 * What the page has been told, by id, and the answers it asked for, by question: going back to a view (or a
 * filter) asks nothing again. It lives as long as the page; a reload asks afresh.
 */
export class Store {
  readonly nodes = new Map<string, Entity>();
  readonly edges = new Map<string, Edge>();
  private readonly answers = new Map<string, Promise<unknown>>();

  name(id: string): string {
    return this.nodes.get(id)?.name ?? id;
  }

  /** "Koma Trade DISTRIBUTES Mi TV 4 (STATED)": how a relationship reads everywhere on the page. */
  edgeText(edge: Edge): string {
    return `${this.name(edge.from)} ${edge.type} ${this.name(edge.to)} (${edge.status})`;
  }

  neighbourhood(name: string, depth: number, filters: Filters): Promise<Subgraph> {
    return this.ask(['n', name, depth, filters], async () => {
      const data = await gql<NeighborhoodData>(NEIGHBORHOOD, {
        name,
        depth,
        limit: NEIGHBORHOOD_LIMIT,
        ...filterVariables(filters),
      });
      this.keep(data.neighborhood.nodes, data.neighborhood.edges);
      return data.neighborhood;
    });
  }

  paths(from: string, to: string, filters: Filters): Promise<Path[]> {
    return this.ask(['p', from, to, filters], async () => {
      const data = await gql<PathsData>(PATHS, { from, to, first: PATHS_FIRST, ...filterVariables(filters) });
      for (const path of data.allShortestPaths) {
        this.keep(
          path.nodes,
          path.hops.map((hop) => hop.edge),
        );
      }
      return data.allShortestPaths;
    });
  }

  article(id: string): Promise<Article> {
    return this.ask(['a', id], async () => {
      const data = await gql<ArticleData>(ARTICLE, { id });
      // Null, or not an article (the fragment then selects nothing): either way there is no text to show.
      if (typeof data.node?.text !== 'string')
        throw new Error('The article of this evidence is not in the graph.');
      return data.node;
    });
  }

  private keep(nodes: Entity[], edges: Edge[]): void {
    for (const node of nodes) this.nodes.set(node.id, node);
    for (const edge of edges) this.edges.set(edge.id, edge);
  }

  /** One request per question; a failed one is forgotten, so asking again tries again. */
  private ask<T>(question: unknown[], fetch: () => Promise<T>): Promise<T> {
    const key = JSON.stringify(question);
    const known = this.answers.get(key) as Promise<T> | undefined;
    if (known) return known;
    const answer = fetch();
    this.answers.set(key, answer);
    answer.catch(() => this.answers.delete(key));
    return answer;
  }
}
