import { useReadinessCheck } from 'graphql-yoga';
import type { Db } from '../neo4j/driver.js';
import { classifyDbError } from '../neo4j/errors.js';
import { missingSchema } from '../neo4j/migrate.js';

/**
 * GET /ready: 200 when Neo4j answers and its constraints and indexes are in place, 503 with the reason
 * otherwise (for load balancers and orchestrators). /health (Yoga's own) only says the process is up.
 */
export function useReadiness(db: Db) {
  return useReadinessCheck({
    endpoint: '/ready',
    check: async () => {
      try {
        const missing = await db.probe((tx) => missingSchema(tx));
        if (missing.length === 0) return Response.json({ ready: true });
        return Response.json(
          { ready: false, reason: `schema not applied: ${missing.join(', ')}` },
          { status: 503 },
        );
      } catch (err) {
        const reason =
          classifyDbError(err) === 'SERVICE_UNAVAILABLE' ? 'Neo4j unreachable' : 'Neo4j check failed';
        return Response.json({ ready: false, reason }, { status: 503 });
      }
    },
  });
}
