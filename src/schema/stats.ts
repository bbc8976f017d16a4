import { acceptedStatuses, type FactStatus } from '../graph/model.js';
import type { EntityRecord } from '../graph/records.js';
import type { DistributorProducts, MarketDistribution } from '../graph/stats.js';
import { builder } from './builder.js';
import {
  EntityKindEnum,
  EntityTypes,
  EvidenceStatusEnum,
  FactStatusEnum,
  INCLUDE_RETRACTED_HELP,
  MIN_STATUS_HELP,
} from './entity.js';
import { resolveName } from './resolveName.js';

const KindCount = builder.objectRef<{ kind: EntityRecord['kind']; count: number }>('KindCount').implement({
  fields: (t) => ({
    kind: t.field({ type: EntityKindEnum, resolve: (k) => k.kind }),
    count: t.exposeInt('count'),
  }),
});

const RelationshipCount = builder
  .objectRef<{ type: string; status: FactStatus; count: number }>('RelationshipCount')
  .implement({
    fields: (t) => ({
      type: t.exposeString('type'),
      status: t.field({ type: FactStatusEnum, resolve: (r) => r.status }),
      count: t.exposeInt('count'),
    }),
  });

const MarketDistributionRef = builder.objectRef<MarketDistribution>('MarketDistribution').implement({
  fields: (t) => ({
    market: t.field({ type: EntityTypes.Market, resolve: (m) => m.market }),
    distributors: t.exposeInt('distributors', { description: 'Companies distributing there.' }),
    products: t.exposeInt('products', { description: 'Distinct products distributed there.' }),
  }),
});

const DistributorProductsRef = builder.objectRef<DistributorProducts>('DistributorProducts').implement({
  fields: (t) => ({
    company: t.field({ type: EntityTypes.Company, resolve: (d) => d.company }),
    products: t.exposeInt('products', { description: 'Distinct products it distributes.' }),
    markets: t.exposeInt('markets', { description: 'Markets it distributes them in.' }),
  }),
});

const Stats = builder.objectRef<object>('Stats').implement({
  description: 'The counts an analyst asks first. Each field is one Cypher statement.',
  fields: (t) => ({
    entities: t.field({
      type: [KindCount],
      description: 'Entities per kind.',
      resolve: (_s, _a, ctx) => ctx.graph.stats.entitiesByKind(),
    }),
    relationships: t.field({
      type: [RelationshipCount],
      description:
        'Relationships between entities per type and status, most frequent first; retracted ones only when asked.',
      args: {
        status: t.arg({
          type: [EvidenceStatusEnum],
          description: 'Only relationships whose status is one of these.',
        }),
        minStatus: t.arg({ type: EvidenceStatusEnum, description: MIN_STATUS_HELP }),
        includeRetracted: t.arg.boolean({ defaultValue: false, description: INCLUDE_RETRACTED_HELP }),
      },
      resolve: (_s, args, ctx) =>
        ctx.graph.stats.relationships(acceptedStatuses(args.status, args.minStatus, args.includeRetracted)),
    }),
    distributorsPerMarket: t.field({
      type: [MarketDistributionRef],
      description:
        'Per market, how many companies distribute there and how many products (by facts that stand: retracted ' +
        'ones never count).',
      args: { brand: t.arg.string({ description: "Only the brand's products (any name or alias)." }) },
      resolve: async (_s, args, ctx) => {
        const brand = args.brand ? await resolveName(ctx, args.brand, 'Company') : null;
        return ctx.graph.stats.distributionByMarket(brand?.id ?? null);
      },
    }),
    productsPerDistributor: t.field({
      type: [DistributorProductsRef],
      description:
        'Per distributor, how many products it carries, most first (by facts that stand: retracted ones never count).',
      args: {
        market: t.arg.string({ description: 'Only in this market (any name or alias).' }),
        brand: t.arg.string({ description: "Only the brand's products (any name or alias)." }),
      },
      resolve: async (_s, args, ctx) => {
        const [market, brand] = await Promise.all([
          args.market ? resolveName(ctx, args.market, 'Market') : null,
          args.brand ? resolveName(ctx, args.brand, 'Company') : null,
        ]);
        return ctx.graph.stats.productsByDistributor(market?.id ?? null, brand?.id ?? null);
      },
    }),
  }),
});

builder.queryField('stats', (t) =>
  t.field({ type: Stats, description: 'Aggregations over the whole graph.', resolve: () => ({}) }),
);
