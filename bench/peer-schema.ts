/**
 * Type definitions for the Neo4j GraphQL Library (@neo4j/graphql 7) over marketgraph's graph, written the way
 * its documentation suggests: one @node type per kind, @relationship fields with @relationshipProperties for
 * the evidence lists, @fulltext over the existing `entity_search` index (of folded spellings, NameKey nodes that
 * name entities), and @cypher where the library has
 * nothing native (lookup through NameKey, neighbourhoods, shortest paths). Generated from src/graph/model.ts,
 * so the peer reads exactly the labels, types and properties marketgraph writes.
 */
import { ENTITY_KINDS, type EntityKind, RELATIONSHIPS } from '../src/graph/model.js';

/** The hop types marketgraph follows by default (all but MENTIONS), fixed in the statements below. */
const HOP_TYPES = RELATIONSHIPS.map((r) => r.type).filter((t) => t !== 'MENTIONS');
const hopTypes = `[${HOP_TYPES.map((t) => `'${t}'`).join(', ')}]`;

const ENTITY_FIELDS = `
  id: ID!
  kind: String!
  name: String!
  nameVi: String
  aliases: [String!]!
  description: String
  sortName: String!`;

const EVIDENCE_FIELDS = `
  id: ID!
  status: String!
  evidenceQuotes: [String!]!
  evidenceStarts: [Int!]!
  evidenceEnds: [Int!]!
  evidenceStatuses: [String!]!
  evidenceArticles: [String!]!`;

/** A relationship whose far end can be several kinds reads through a union of them. */
function target(kinds: readonly EntityKind[], unionName: string, unions: Map<string, string>): string {
  const [only] = kinds;
  if (kinds.length === 1 && only) return only;
  const name = `${unionName}Target`;
  unions.set(name, `union ${name} = ${kinds.join(' | ')}`);
  return name;
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function kindType(kind: EntityKind, unions: Map<string, string>): string {
  const fields: string[] = [];
  for (const r of RELATIONSHIPS) {
    const props = r.type === 'DISTRIBUTES' ? 'Distribution' : 'Fact';
    if ((r.from as readonly EntityKind[]).includes(kind)) {
      const t = target(r.to, cap(r.outField), unions);
      fields.push(
        `  ${r.outField}: [${t}!]! @relationship(type: "${r.type}", direction: OUT, properties: "${props}")`,
      );
    }
    if ((r.to as readonly EntityKind[]).includes(kind)) {
      const t = target(r.from, cap(r.inField), unions);
      fields.push(
        `  ${r.inField}: [${t}!]! @relationship(type: "${r.type}", direction: IN, properties: "${props}")`,
      );
    }
  }
  return `type ${kind} @node(labels: ["${kind}", "Entity"]) {${ENTITY_FIELDS}\n${fields.join('\n')}\n}`;
}

/**
 * Neighbourhood as marketgraph defines it, in one statement: level 1 holds the start's relationships, level 2
 * those of the entities first reached at level 1 that level 1 does not hold; each level by relationship id,
 * asking for one more than still fits so a cut is seen. LIMIT cannot depend on level 1, so level 2 is sliced.
 */
export const NEIGHBORHOOD_FROM_S = `
CALL (s) {
  MATCH (s)-[r]-(:Entity) WHERE type(r) IN ${hopTypes}
  WITH DISTINCT r ORDER BY r.id LIMIT $limit + 1
  RETURN collect(r) AS level1
}
WITH s, level1[..$limit] AS l1, size(level1) > $limit AS cut1
CALL (s, l1, cut1) {
  UNWIND CASE WHEN cut1 THEN [] ELSE l1 END AS r1
  WITH DISTINCT CASE WHEN startNode(r1) = s THEN endNode(r1) ELSE startNode(r1) END AS f
  WHERE f <> s
  MATCH (f)-[r]-(:Entity) WHERE type(r) IN ${hopTypes} AND NOT r IN l1
  WITH DISTINCT r ORDER BY r.id
  WITH collect(r) AS level2
  RETURN level2[..($limit - size(l1) + 1)] AS level2
}
WITH s, l1 + level2[..($limit - size(l1))] AS rels, cut1 OR size(level2) > $limit - size(l1) AS truncated
CALL (s, rels) {
  UNWIND [s] + [r IN rels | startNode(r)] + [r IN rels | endNode(r)] AS n
  WITH DISTINCT n
  RETURN collect(n {.id, .name, .kind}) AS nodes
}
RETURN {
  nodes: nodes,
  edges: [r IN rels | {
    type: type(r), from: startNode(r).id, to: endNode(r).id, status: r.status,
    evidence: [q IN coalesce(r.evidenceQuotes, []) | {quote: q}]
  }],
  truncated: truncated
} AS subgraph`;

export const NEIGHBORHOOD_CYPHER = `MATCH (s:Entity {id: $key})${NEIGHBORHOOD_FROM_S}`;

/** marketgraph's path: of the shortest paths within 4 hops, the first by relationship ids. */
export const PATH_FROM_A_B = `
MATCH p = allShortestPaths((a)-[*1..4]-(b))
WHERE all(r IN relationships(p) WHERE type(r) IN ${hopTypes})
WITH p ORDER BY [r IN relationships(p) | r.id] LIMIT 1
WITH nodes(p) AS ns, relationships(p) AS rs
RETURN {
  length: size(rs),
  hops: [i IN range(0, size(rs) - 1) | {
    from: {name: ns[i].name}, to: {name: ns[i + 1].name},
    edge: {type: type(rs[i]), status: rs[i].status, evidence: [q IN coalesce(rs[i].evidenceQuotes, []) | {quote: q}]}
  }]
} AS path`;

export const PATH_CYPHER = `MATCH (a:Entity {id: $from}) MATCH (b:Entity {id: $to})${PATH_FROM_A_B}`;

/** The folded spelling is looked up as marketgraph does; Cypher cannot fold diacritics, so the client sends it folded. */
export const ENTITY_BY_KEY_CYPHER = `
MATCH (:NameKey {key: $key})-[:NAMES]->(n:Entity)
RETURN n ORDER BY n.sortName = $key DESC, n.sortName, n.id LIMIT 1`;

export function peerTypeDefs(): string {
  const unions = new Map<string, string>();
  const kinds = ENTITY_KINDS.map((k) => kindType(k, unions));
  return `
# A read-only peer: no mutations to generate.
extend schema @mutation(operations: [])

type Fact @relationshipProperties {${EVIDENCE_FIELDS}
}

type Distribution @relationshipProperties {${EVIDENCE_FIELDS}
  market: String!
}

${kinds.join('\n\n')}

${[...unions.values()].join('\n')}

"""Any entity, through the shared label: what full-text search and name lookups return."""
type Entity @node(labels: ["Entity"]) {${ENTITY_FIELDS}
}

"""A folded spelling (name, Vietnamese name or alias): the documents of the full-text index."""
type NameKey
  @node(labels: ["NameKey"])
  @fulltext(indexes: [{ indexName: "entity_search", queryName: "searchNameKeys", fields: ["key"] }]) {
  key: String!
  names: [Entity!]! @relationship(type: "NAMES", direction: OUT)
}

type Evidence {
  quote: String!
}

type SubgraphNode {
  id: ID!
  name: String!
  kind: String!
}

type SubgraphEdge {
  type: String!
  from: ID!
  to: ID!
  status: String!
  evidence: [Evidence!]!
}

type Subgraph {
  nodes: [SubgraphNode!]!
  edges: [SubgraphEdge!]!
  truncated: Boolean!
}

type HopEnd {
  name: String!
}

type HopEdge {
  type: String!
  status: String!
  evidence: [Evidence!]!
}

type Hop {
  from: HopEnd!
  to: HopEnd!
  edge: HopEdge!
}

type Path {
  length: Int!
  hops: [Hop!]!
}

type Query {
  entityByKey(key: String!): Entity @cypher(statement: """${ENTITY_BY_KEY_CYPHER}""", columnName: "n")
  neighborhood(key: ID!, limit: Int!): Subgraph @cypher(statement: """${NEIGHBORHOOD_CYPHER}""", columnName: "subgraph")
  path(from: ID!, to: ID!): Path @cypher(statement: """${PATH_CYPHER}""", columnName: "path")
}
`;
}
