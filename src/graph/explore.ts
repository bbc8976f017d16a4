import { int, type Node, type Relationship } from 'neo4j-driver';
import type { Tx } from '../neo4j/driver.js';
import { type EntityKind, type EvidenceStatus, RELATIONSHIP_TYPES, type RelationshipType } from './model.js';
import { type EntityRecord, type RelationRecord, toEntity, toRelation } from './records.js';

/**
 * Exploring the graph around entities: neighbourhoods for a graph view and shortest paths between two
 * entities, every edge with its evidence. The bounds below are what keeps each question to a fixed number of
 * statements and a bounded answer; the schema checks input against them before anything runs.
 */

export const DEPTH = { min: 1, max: 3, default: 1 } as const;
export const EDGE_LIMIT = { min: 1, max: 500, default: 100 } as const;
export const MAX_HOPS = { min: 1, max: 6, default: 4 } as const;
export const PATHS = { min: 1, max: 20, default: 5 } as const;

/** A hop follows any relationship but MENTIONS unless asked: every entity is one hop from the article. */
export const DEFAULT_HOP_TYPES: readonly RelationshipType[] = RELATIONSHIP_TYPES.filter(
  (t) => t !== 'MENTIONS',
);

/** A relationship with the kinds of both ends, which global ids need. */
export interface EdgeRecord extends RelationRecord {
  fromKind: EntityKind;
  toKind: EntityKind;
}

export interface HopFilter {
  /** Checked against the model; passed as a parameter, never spliced into the query. */
  types: readonly RelationshipType[];
  /** Only relationships whose status is one of these; null for all. */
  statuses: readonly EvidenceStatus[] | null;
}

export interface SubgraphRecord {
  /** The start entity first, then the others in the order the edges reach them. */
  nodes: EntityRecord[];
  /** By hop level, then relationship id. */
  edges: EdgeRecord[];
  /** Edges were left out to stay within the limit. */
  truncated: boolean;
}

export interface HopRecord {
  from: EntityRecord;
  to: EntityRecord;
  edge: EdgeRecord;
  /** Forward when the relationship points from `from` to `to`. */
  direction: 'forward' | 'backward';
}

export interface PathRecord {
  nodes: EntityRecord[];
  edges: EdgeRecord[];
  hops: HopRecord[];
}

function toEdge(rel: Relationship, from: EntityRecord, to: EntityRecord): EdgeRecord {
  return { ...toRelation(rel, from.id, to.id), fromKind: from.kind, toKind: to.kind };
}

/**
 * The entities and relationships up to `depth` hops from the start, in either direction, at most `limit`
 * edges. A breadth-first search with one statement per level over the frontier of that level (never a
 * variable-length pattern, whose paths multiply with depth), all in the caller's transaction. Level k holds
 * the relationships of the entities first reached at level k-1 that no earlier level holds (so an edge between
 * two neighbours of the start is at level 2). Each statement asks for one edge more than still fits, so a cut
 * is known and reported, and the search stops there.
 */
export async function neighborhood(
  tx: Tx,
  start: EntityRecord,
  o: HopFilter & { depth: number; limit: number },
): Promise<SubgraphRecord> {
  const nodes = new Map<string, EntityRecord>([[start.id, start]]);
  const edges: EdgeRecord[] = [];
  let frontier = [start.id];
  let truncated = false;
  for (let level = 1; level <= o.depth && frontier.length > 0; level++) {
    const remaining = o.limit - edges.length;
    const r = await tx.run(
      // The subquery keeps the frontier lookup a unique-index seek: written as one pattern, the planner
      // scans every entity for each frontier id.
      `UNWIND $frontier AS id
       MATCH (f:Entity {id: id})
       CALL (f) {
         MATCH (f)-[r]-(:Entity)
         WHERE type(r) IN $types AND ($statuses IS NULL OR r.status IN $statuses) AND NOT r.id IN $seen
         RETURN r
       }
       WITH DISTINCT r ORDER BY r.id LIMIT $fetch
       RETURN r, startNode(r) AS a, endNode(r) AS b`,
      {
        frontier,
        types: o.types,
        statuses: o.statuses,
        seen: edges.map((e) => e.id),
        fetch: int(remaining + 1),
      },
    );
    const rows = r.records;
    if (rows.length > remaining) truncated = true;
    const next: string[] = [];
    for (const rec of rows.slice(0, remaining)) {
      const ends = [toEntity(rec.get('a') as Node), toEntity(rec.get('b') as Node)] as const;
      for (const e of ends) {
        if (!nodes.has(e.id)) {
          nodes.set(e.id, e);
          next.push(e.id);
        }
      }
      edges.push(toEdge(rec.get('r') as Relationship, ends[0], ends[1]));
    }
    if (truncated) break;
    frontier = next;
  }
  return { nodes: [...nodes.values()], edges, truncated };
}

/**
 * The variable-length bound of a path pattern cannot be a parameter: each allowed number of hops maps to
 * one fixed pattern, so no input reaches the query text.
 */
const PATTERNS: Record<number, string> = {
  1: '(a)-[*1..1]-(b)',
  2: '(a)-[*1..2]-(b)',
  3: '(a)-[*1..3]-(b)',
  4: '(a)-[*1..4]-(b)',
  5: '(a)-[*1..5]-(b)',
  6: '(a)-[*1..6]-(b)',
};

interface PathRow {
  nodes: Node[];
  rels: { r: Relationship; a: Node; b: Node }[];
}

/**
 * The shortest paths between two entities, over relationships of the given types and statuses in either
 * direction, at most `maxHops` long: up to `first` of them, ordered by their relationship ids so the same
 * question always gets the same paths. One statement; no path within reach is an empty list. The relationship
 * filter sits in an `all(...)` over the path's relationships, which Neo4j applies during the breadth-first
 * search itself rather than to paths found afterwards.
 */
export async function shortestPaths(
  tx: Tx,
  from: EntityRecord,
  to: EntityRecord,
  o: HopFilter & { maxHops: number; first: number },
): Promise<PathRecord[]> {
  // shortestPath refuses identical ends; the path from an entity to itself is the entity alone.
  if (from.id === to.id) return [{ nodes: [from], edges: [], hops: [] }];
  const pattern = PATTERNS[o.maxHops];
  if (!pattern) throw new RangeError(`maxHops must be ${MAX_HOPS.min}..${MAX_HOPS.max}, got ${o.maxHops}`);
  const r = await tx.run(
    `MATCH (a:Entity {id: $from})
     MATCH (b:Entity {id: $to})
     MATCH p = allShortestPaths(${pattern})
     WHERE all(r IN relationships(p) WHERE type(r) IN $types AND ($statuses IS NULL OR r.status IN $statuses))
     WITH p ORDER BY [r IN relationships(p) | r.id] LIMIT $first
     RETURN nodes(p) AS nodes, [r IN relationships(p) | {r: r, a: startNode(r), b: endNode(r)}] AS rels`,
    { from: from.id, to: to.id, types: o.types, statuses: o.statuses, first: int(o.first) },
  );
  return r.records.map((rec) => toPath({ nodes: rec.get('nodes'), rels: rec.get('rels') }));
}

function toPath(row: PathRow): PathRecord {
  const nodes = row.nodes.map(toEntity);
  const edges = row.rels.map(({ r, a, b }) => toEdge(r, toEntity(a), toEntity(b)));
  const hops = edges.map((edge, i): HopRecord => {
    const from = nodes[i];
    const to = nodes[i + 1];
    if (!from || !to) throw new Error(`path has ${nodes.length} nodes for ${edges.length} relationships`);
    return { from, to, edge, direction: edge.from === from.id ? 'forward' : 'backward' };
  });
  return { nodes, edges, hops };
}
