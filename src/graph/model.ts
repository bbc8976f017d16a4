/**
 * The data model in one place: entity kinds (Neo4j labels), relationship types with the kinds they join,
 * and the evidence statuses. The loader validates against it, the graph functions take their labels and
 * types from it (never from input), and the GraphQL schema derives its relationship fields from it.
 */

export const ENTITY_KINDS = [
  'Company',
  'Product',
  'Market',
  'City',
  'Person',
  'Website',
  'Office',
  'Statement',
  'Article',
] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

/** Kinds a facts file may declare; the Article node comes from the facts file's `article` block. */
export const FACT_KINDS = ENTITY_KINDS.filter((k): k is Exclude<EntityKind, 'Article'> => k !== 'Article');

export const EVIDENCE_STATUSES = ['confirmed', 'stated', 'reported', 'speculated'] as const;
export type EvidenceStatus = (typeof EVIDENCE_STATUSES)[number];

export interface RelationshipSpec {
  type: string;
  from: readonly EntityKind[];
  to: readonly EntityKind[];
  /** Field on the source entity type, e.g. Company.distributes. */
  outField: string;
  /** Field on the target entity type, e.g. Product.distributedBy. */
  inField: string;
  /** Whether the relationship names the market it holds in (DISTRIBUTES). */
  market?: 'required';
  description: string;
}

export const RELATIONSHIPS = [
  {
    type: 'MANUFACTURES',
    from: ['Company'],
    to: ['Product'],
    outField: 'manufactures',
    inField: 'manufacturedBy',
    description: 'The company makes the product under its brand.',
  },
  {
    type: 'DISTRIBUTES',
    from: ['Company'],
    to: ['Product'],
    outField: 'distributes',
    inField: 'distributedBy',
    market: 'required',
    description: 'The company distributes the product in a market.',
  },
  {
    type: 'SELLS_IN',
    from: ['Company', 'Product'],
    to: ['Market'],
    outField: 'sellsIn',
    inField: 'soldHere',
    description: 'The company or product is sold in the market.',
  },
  {
    type: 'PRESENT_IN',
    from: ['Company'],
    to: ['Market'],
    outField: 'presentIn',
    inField: 'presentCompanies',
    description: 'The company is already active in the market.',
  },
  {
    type: 'ENTERING',
    from: ['Company'],
    to: ['Market'],
    outField: 'entering',
    inField: 'enteredBy',
    description: 'The company is moving into the market.',
  },
  {
    type: 'HEADQUARTERED_IN',
    from: ['Company'],
    to: ['Market', 'City'],
    outField: 'headquarteredIn',
    inField: 'headquartersOf',
    description: 'The home country or city of the company.',
  },
  {
    type: 'COMPETES_WITH',
    from: ['Company'],
    to: ['Company'],
    outField: 'competesWith',
    inField: 'competedBy',
    description: 'The company competes with the other company.',
  },
  {
    type: 'OPERATES',
    from: ['Company'],
    to: ['Website'],
    outField: 'operates',
    inField: 'operatedBy',
    description: 'The company runs the website.',
  },
  {
    type: 'TARGETS',
    from: ['Website', 'Office', 'Product'],
    to: ['Market'],
    outField: 'targets',
    inField: 'targetedBy',
    description: 'The website, office or product is aimed at the market.',
  },
  {
    type: 'HAS_OFFICE',
    from: ['Company'],
    to: ['Office'],
    outField: 'offices',
    inField: 'officeOf',
    description: 'The company has the office.',
  },
  {
    type: 'LOCATED_IN',
    from: ['Office', 'Person', 'City'],
    to: ['City', 'Market'],
    outField: 'locatedIn',
    inField: 'locatedHere',
    description: 'The office, person or city is in the place.',
  },
  {
    type: 'WORKS_FOR',
    from: ['Person'],
    to: ['Company'],
    outField: 'worksFor',
    inField: 'employees',
    description: 'The person works for the company.',
  },
  {
    type: 'MADE',
    from: ['Person', 'Company'],
    to: ['Statement'],
    outField: 'made',
    inField: 'madeBy',
    description: 'The person or company made the statement.',
  },
  {
    type: 'ABOUT',
    from: ['Statement'],
    to: ['Company', 'Product', 'Market', 'City', 'Person', 'Website', 'Office', 'Statement'],
    outField: 'about',
    inField: 'statementsAbout',
    description: 'What the statement is about.',
  },
  {
    type: 'CONFIRMED',
    from: ['Person'],
    to: ['Website', 'Office', 'Statement'],
    outField: 'confirmed',
    inField: 'confirmedBy',
    description: 'The person confirmed it.',
  },
  {
    type: 'WROTE',
    from: ['Person'],
    to: ['Statement', 'Article'],
    outField: 'wrote',
    inField: 'writtenBy',
    description: 'The person wrote the article or the finding.',
  },
  {
    type: 'RESEMBLES',
    from: ['Product'],
    to: ['Product'],
    outField: 'resembles',
    inField: 'resembledBy',
    description: 'The product looks like the other product.',
  },
  {
    type: 'MENTIONS',
    from: ['Article'],
    to: ['Company', 'Product', 'Market', 'City', 'Person', 'Website', 'Office', 'Statement'],
    outField: 'mentions',
    inField: 'mentionedIn',
    description: 'The article mentions the entity (derived by the loader from the evidence).',
  },
] as const satisfies readonly RelationshipSpec[];

export type RelationshipType = (typeof RELATIONSHIPS)[number]['type'];
export const RELATIONSHIP_TYPES = RELATIONSHIPS.map((r) => r.type) as RelationshipType[];
/** Types a facts file may state; MENTIONS is derived. */
export const FACT_RELATIONSHIP_TYPES = RELATIONSHIP_TYPES.filter((t) => t !== 'MENTIONS');

export function relationshipSpec(type: string): RelationshipSpec | undefined {
  return RELATIONSHIPS.find((r) => r.type === type);
}

/** Strongest first: a relationship's status is the strongest status among its evidence. */
export function strongestStatus(statuses: readonly EvidenceStatus[]): EvidenceStatus {
  for (const s of EVIDENCE_STATUSES) if (statuses.includes(s)) return s;
  return 'speculated';
}

/**
 * What `r.status` can hold: an evidence status (the strongest of the fact's quotes), or 'retracted' once the
 * fact has been retracted (its quotes kept as they were, with `retractedAt`, `retractedBy`, `retractedByName`
 * and `retractedReason` beside them).
 */
export const FACT_STATUSES = [...EVIDENCE_STATUSES, 'retracted'] as const;
export type FactStatus = (typeof FACT_STATUSES)[number];

/** The statuses of facts that stand: what every read follows unless asked for retracted facts too. */
export const LIVE_STATUSES: readonly FactStatus[] = EVIDENCE_STATUSES;

/**
 * The statuses a relationship may have to pass a status filter: `statuses` as a set and `minStatus` as a point
 * on the scale (that status or stronger); both must hold when both are given. Never null: with neither, every
 * live status, so a retracted fact is left out by default. `includeRetracted` adds 'retracted' to what the
 * set (or no filter) admits; `minStatus` is a point on the scale of live statuses, so it never admits it.
 * "At least one quote at or above minStatus" is the same as "the strongest quote is at or above it", and the
 * strongest is what `r.status` holds (the loader derives it from the quotes on every write), so every filter
 * becomes one `r.status IN $list` on a single property instead of a scan of `evidenceStatuses`.
 */
export function acceptedStatuses(
  statuses: readonly EvidenceStatus[] | null | undefined,
  minStatus: EvidenceStatus | null | undefined,
  includeRetracted?: boolean | null,
): FactStatus[] {
  if (minStatus) {
    const atLeast = EVIDENCE_STATUSES.slice(0, EVIDENCE_STATUSES.indexOf(minStatus) + 1);
    return statuses ? atLeast.filter((s) => statuses.includes(s)) : atLeast;
  }
  const live: FactStatus[] = statuses
    ? EVIDENCE_STATUSES.filter((s) => statuses.includes(s))
    : [...LIVE_STATUSES];
  return includeRetracted ? [...live, 'retracted'] : live;
}

/**
 * The statuses a relationship that a question only passes through may have (the brand's MANUFACTURES behind
 * `brand:` and `distributors`): any live one, and a retracted one only when the question admits retracted facts.
 */
export function linkStatuses(accepted: readonly FactStatus[]): FactStatus[] {
  return accepted.includes('retracted') ? [...FACT_STATUSES] : [...LIVE_STATUSES];
}

/** Whether a string from input names a relationship type of the model (input is checked before it reaches Cypher). */
export function isRelationshipType(value: string): value is RelationshipType {
  return (RELATIONSHIP_TYPES as readonly string[]).includes(value);
}
