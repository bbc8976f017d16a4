import { int } from 'neo4j-driver';
import type { Runner } from '../neo4j/driver.js';
import { type EntityKind, type FactStatus, RELATIONSHIP_TYPES, type RelationshipType } from './model.js';
import {
  type Candidates,
  type EdgePlan,
  type EntityPlan,
  type NameCandidate,
  type NameRef,
  Statement,
  toProjected,
  toRelationRecord,
} from './projection.js';
import type { EntityRecord, RelationRecord } from './records.js';

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
  /** Only relationships whose status is one of these (acceptedStatuses); a retracted one only when listed. */
  statuses: readonly FactStatus[];
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

/**
 * The entities and relationships up to `depth` hops from the entity a name means, in either direction, at most
 * `limit` edges: one statement, the name looked up in it. A breadth-first search unrolled level by level
 * (never a variable-length pattern, whose paths multiply with depth): level k holds the relationships of the
 * entities first reached at level k-1 that no earlier level holds (so an edge between two neighbours of the
 * start is at level 2). Each level takes at most one edge more than still fits, in relationship id order, so
 * a cut is known and reported, and the levels after it are skipped. Nodes and edges are read as the plans ask.
 */
export async function neighborhood(
  tx: Runner,
  start: NameRef,
  o: HopFilter & { depth: number; limit: number },
  plan: { nodes: EntityPlan; edges: EdgePlan },
): Promise<{ candidates: NameCandidate[]; subgraph: SubgraphRecord | null }> {
  const s = new Statement();
  const st = s.name(start).variable;
  const types = s.param(o.types);
  const statuses = s.param(o.statuses);
  const limit = s.param(int(o.limit));
  const fetch = s.param(int(o.limit + 1));
  // Level k follows the edges of frontier k (the entities first reached at level k-1). An edge of such an
  // entity was seen at an earlier level exactly when its other end is in an earlier frontier, so that test
  // replaces a search of every edge seen so far.
  const hop = (f: string, earlier: string) =>
    `MATCH (${f})-[r]-(o) WHERE type(r) IN ${types} AND r.status IN ${statuses}
       AND NOT o IN ${earlier}
     WITH DISTINCT r ORDER BY r.id LIMIT ${fetch} RETURN collect(r) AS got`;
  const levels: string[] = [
    `CALL (${st}) { ${hop(st, '[]')} }
     WITH ${st}, [${st}] AS f1, got[..${limit}] AS e1, size(got) > ${limit} AS cut1`,
  ];
  for (let k = 2; k <= o.depth; k++) {
    const upTo = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
    const frontiers = upTo(k - 1, 'f').join(' + ');
    const carried = [st, ...upTo(k - 1, 'f'), ...upTo(k - 1, 'e'), ...upTo(k - 1, 'cut')].join(', ');
    const used = `size(${upTo(k - 1, 'e').join(' + ')})`;
    levels.push(
      `CALL (${carried}) {
         UNWIND CASE WHEN cut${k - 1} THEN [] ELSE e${k - 1} END AS x
         UNWIND [startNode(x), endNode(x)] AS n
         WITH n WHERE NOT n IN ${frontiers}
         RETURN collect(DISTINCT n) AS f${k}
       }
       CALL (${frontiers.replaceAll(' + ', ', ')}, f${k}) {
         UNWIND f${k} AS f
         ${hop('f', frontiers)}
       }
       WITH ${carried}, f${k}, got[..(${limit} - ${used})] AS e${k}, size(got) > ${limit} - ${used} AS cut${k}`,
    );
  }
  const all = Array.from({ length: o.depth }, (_, i) => `e${i + 1}`);
  const cuts = Array.from({ length: o.depth }, (_, i) => `cut${i + 1}`);
  const nodeProjection = s.entity('n', plan.nodes);
  const startProjection = s.entity(st, plan.nodes);
  const r = await tx.run(
    `${s.resolveNames()}
     CALL (${st}) {
       ${levels.join('\n')}
       RETURN ${all.join(' + ')} AS edges, ${cuts.join(' OR ')} AS truncated
     }
     CALL (edges) {
       UNWIND edges AS x UNWIND [startNode(x), endNode(x)] AS n
       WITH DISTINCT n
       RETURN collect(${nodeProjection}) AS nodes
     }
     RETURN candidates, ${startProjection} AS start, nodes, truncated,
       [x IN edges | {r: ${s.relationship('x', plan.edges)}, t: type(x), a: startNode(x).id, b: endNode(x).id}] AS edges`,
    s.params,
  );
  const rec = r.records[0];
  const candidates = s.candidates(rec?.get('candidates'));
  const first = rec?.get('start') as Row | null | undefined;
  if (!rec || !first) return { candidates: candidates(start), subgraph: null };
  const byId = new Map<string, EntityRecord>();
  for (const n of rec.get('nodes') as Row[]) {
    const e = toProjected(n, plan.nodes, candidates);
    byId.set(e.id, e);
  }
  const startEntity = toProjected(first, plan.nodes, candidates);
  const nodes = new Map<string, EntityRecord>([[startEntity.id, startEntity]]);
  const edges = (rec.get('edges') as EdgeRow[]).map((row) => {
    for (const id of [row.a, row.b]) {
      const e = byId.get(id);
      if (e && !nodes.has(id)) nodes.set(id, e);
    }
    return toEdgeRecord(row, nodes);
  });
  return {
    candidates: candidates(start),
    subgraph: { nodes: [...nodes.values()], edges, truncated: rec.get('truncated') as boolean },
  };
}

type Row = Record<string, unknown>;
interface EdgeRow {
  r: Row;
  t: string;
  a: string;
  b: string;
}

function toEdgeRecord(row: EdgeRow, nodes: ReadonlyMap<string, EntityRecord>): EdgeRecord {
  const kindOf = (id: string) => {
    const kind = nodes.get(id)?.kind;
    if (!kind) throw new Error(`edge ${String(row.r.id)} ends at ${id}, which the statement did not return`);
    return kind;
  };
  return { ...toRelationRecord(row.r, row.t, row.a, row.b), fromKind: kindOf(row.a), toKind: kindOf(row.b) };
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

/** More shortest paths than this are not read: ties are ordered among the first found, so a hub stays cheap. */
export const PATH_CANDIDATES = 1000;

/**
 * The shortest paths between the entities two names mean, over relationships of the given types and statuses
 * in either direction, at most `maxHops` long: up to `first` of them, ordered by their relationship ids so the
 * same question always gets the same paths. One statement with both lookups; no path within reach is an empty
 * list. The relationship filter sits in an `all(...)` over the path's relationships, which Neo4j applies during
 * the breadth-first search itself rather than to paths found afterwards.
 */
export async function shortestPaths(
  tx: Runner,
  ends: { from: NameRef; to: NameRef },
  o: HopFilter & { maxHops: number; first: number },
  plan: { nodes: EntityPlan; edges: EdgePlan },
): Promise<{ from: NameCandidate[]; to: NameCandidate[]; paths: PathRecord[] }> {
  const pattern = PATTERNS[o.maxHops];
  if (!pattern) throw new RangeError(`maxHops must be ${MAX_HOPS.min}..${MAX_HOPS.max}, got ${o.maxHops}`);
  const s = new Statement();
  const a = s.name(ends.from).variable;
  const b = s.name(ends.to).variable;
  // Nodes inside a path are read without relationship pages: those fields fall back to their own resolvers.
  const nodes: EntityPlan = { props: plan.nodes.props, relations: [] };
  const r = await tx.run(
    `${s.resolveNames()}
     CALL (${a}, ${b}) {
       WITH ${a} AS a, ${b} AS b WHERE a IS NOT NULL AND b IS NOT NULL AND a <> b
       MATCH p = allShortestPaths(${pattern})
       WHERE all(r IN relationships(p) WHERE type(r) IN ${s.param(o.types)} AND r.status IN ${s.param(o.statuses)})
       WITH p LIMIT ${s.param(int(PATH_CANDIDATES))}
       WITH p ORDER BY [r IN relationships(p) | r.id] LIMIT ${s.param(int(o.first))}
       RETURN collect({
         nodes: [n IN nodes(p) | ${s.entity('n', nodes)}],
         rels: [x IN relationships(p) | {r: ${s.relationship('x', plan.edges)}, t: type(x), a: startNode(x).id, b: endNode(x).id}]
       }) AS paths
     }
     RETURN candidates, ${s.entity(a, nodes)} AS from, ${s.entity(b, nodes)} AS to, paths`,
    s.params,
  );
  const rec = r.records[0];
  const candidates = s.candidates(rec?.get('candidates'));
  const result = { from: candidates(ends.from), to: candidates(ends.to) };
  const from = rec?.get('from') as Row | null | undefined;
  const to = rec?.get('to') as Row | null | undefined;
  if (!from || !to) return { ...result, paths: [] };
  // shortestPath refuses identical ends; the path from an entity to itself is the entity alone.
  if (from.id === to.id)
    return { ...result, paths: [{ nodes: [toProjected(from, nodes, candidates)], edges: [], hops: [] }] };
  const rows = rec?.get('paths') as { nodes: Row[]; rels: EdgeRow[] }[];
  return { ...result, paths: rows.map((row) => toPath(row, nodes, candidates)) };
}

function toPath(
  row: { nodes: Row[]; rels: EdgeRow[] },
  plan: EntityPlan,
  candidates: Candidates,
): PathRecord {
  const nodes = row.nodes.map((n) => toProjected(n, plan, candidates));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edges = row.rels.map((rel) => toEdgeRecord(rel, byId));
  const hops = edges.map((edge, i): HopRecord => {
    const from = nodes[i];
    const to = nodes[i + 1];
    if (!from || !to) throw new Error(`path has ${nodes.length} nodes for ${edges.length} relationships`);
    return { from, to, edge, direction: edge.from === from.id ? 'forward' : 'backward' };
  });
  return { nodes, edges, hops };
}
