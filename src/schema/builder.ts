import SchemaBuilder from '@pothos/core';
import RelayPlugin from '@pothos/plugin-relay';
import type { Context } from '../context.js';

export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
}>({
  defaultFieldNullability: false,
  plugins: [RelayPlugin],
  relay: {
    nodesQueryOptions: { description: 'Entities by their global ids; unknown ids give null.' },
    nodeQueryOptions: { description: 'An entity by its global id (the `id` field of any Entity).' },
  },
});

builder.queryType({
  description: 'Questions about companies, products and markets, each fact with its evidence.',
});
