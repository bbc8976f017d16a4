/**
 * Every GraphQL operation the explorer sends, with the shape of its answer. The explorer is a client of the
 * public API like any other: no introspection (it is off in production), only these documents, which a test
 * validates against schema/schema.graphql.
 */

/** Strongest first: a status filter keeps the chosen one and everything above it. */
export const STATUSES = ['CONFIRMED', 'STATED', 'REPORTED', 'SPECULATED'] as const;
export type Status = (typeof STATUSES)[number];

/** The kinds of entity, as the data model names them (bundled from the service's own model). */
import type { EntityKind } from '../src/graph/model.js';

export { ENTITY_KINDS as KINDS } from '../src/graph/model.js';
export type Kind = EntityKind;

/** The link from an article to what it mentions: not a hop of neighbourhoods and paths unless asked for. */
export const MENTIONS = 'MENTIONS';

const ENTITY_FIELDS = `fragment ExplorerEntity on Entity {
  id
  key
  kind
  name
  nameVi
  aliases
  description
  ... on Product { category priceUpToUsd features }
  ... on Market { countryCode }
  ... on City { countryCode }
  ... on Person { role }
  ... on Website { language launched }
  ... on Office { officeType }
  ... on Statement { summary }
  ... on Article { title url language }
}`;

const EDGE_FIELDS = `fragment ExplorerEdge on Edge {
  id
  type
  from
  to
  status
  evidence { quote start end status article { id } }
}`;

export interface Entity {
  id: string;
  key: string;
  kind: Kind;
  name: string;
  nameVi: string | null;
  aliases: string[];
  description: string | null;
  category?: string | null;
  priceUpToUsd?: number | null;
  features?: string[];
  countryCode?: string | null;
  role?: string | null;
  language?: string | null;
  launched?: string | null;
  officeType?: string | null;
  summary?: string | null;
  title?: string | null;
  url?: string | null;
}

export interface Evidence {
  quote: string;
  start: number;
  end: number;
  status: Status;
  article: { id: string };
}

export interface Edge {
  id: string;
  type: string;
  from: string;
  to: string;
  status: Status;
  evidence: Evidence[];
}

/** The filters every graph question takes: the API's defaults where they are left out. */
export interface Filters {
  types?: string[];
  minStatus?: Status;
}

export const SEARCH = `query ExplorerSearch($text: String!, $first: Int) {
  search(text: $text, first: $first) {
    score
    matched
    entity { id key kind name nameVi }
  }
}`;
export interface SearchHit {
  score: number;
  matched: string;
  entity: Pick<Entity, 'id' | 'key' | 'kind' | 'name' | 'nameVi'>;
}
export interface SearchData {
  search: SearchHit[];
}

export const NEIGHBORHOOD = `query ExplorerNeighborhood(
  $name: String!
  $depth: Int
  $limit: Int
  $types: [String!]
  $minStatus: EvidenceStatus
) {
  neighborhood(name: $name, depth: $depth, limit: $limit, relationshipTypes: $types, minStatus: $minStatus) {
    truncated
    nodes { ...ExplorerEntity }
    edges { ...ExplorerEdge }
  }
}
${ENTITY_FIELDS}
${EDGE_FIELDS}`;
export interface Subgraph {
  truncated: boolean;
  nodes: Entity[];
  edges: Edge[];
}
export interface NeighborhoodData {
  neighborhood: Subgraph;
}

export const PATHS = `query ExplorerPaths(
  $from: String!
  $to: String!
  $types: [String!]
  $minStatus: EvidenceStatus
  $first: Int
) {
  allShortestPaths(from: $from, to: $to, relationshipTypes: $types, minStatus: $minStatus, first: $first) {
    length
    nodes { ...ExplorerEntity }
    hops {
      direction
      from { id }
      to { id }
      edge { ...ExplorerEdge }
    }
  }
}
${ENTITY_FIELDS}
${EDGE_FIELDS}`;
export interface Hop {
  direction: 'FORWARD' | 'BACKWARD';
  from: { id: string };
  to: { id: string };
  edge: Edge;
}
export interface Path {
  length: number;
  nodes: Entity[];
  hops: Hop[];
}
export interface PathsData {
  allShortestPaths: Path[];
}

export const ARTICLE = `query ExplorerArticle($id: ID!) {
  node(id: $id) {
    ... on Article { id name title text language url }
  }
}`;
export interface Article {
  id: string;
  name: string;
  title: string | null;
  text: string;
  language: string | null;
  url: string | null;
}
export interface ArticleData {
  node: Article | null;
}

/** The relationship types in the graph, for the type filter. */
export const RELATIONSHIP_TYPES = `query ExplorerRelationshipTypes {
  stats { relationships { type count } }
}`;
export interface RelationshipTypesData {
  stats: { relationships: { type: string; count: number }[] };
}

/** Every document, for the test that validates them against the printed schema. */
export const OPERATIONS = { SEARCH, NEIGHBORHOOD, PATHS, ARTICLE, RELATIONSHIP_TYPES };

/** The variables of a graph question: filters left at the API's defaults are not sent at all. */
export function filterVariables(filters: Filters): { types?: string[]; minStatus?: Status } {
  return {
    ...(filters.types ? { types: filters.types } : {}),
    ...(filters.minStatus && filters.minStatus !== 'SPECULATED' ? { minStatus: filters.minStatus } : {}),
  };
}
