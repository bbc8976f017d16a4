# marketgraph GraphQL service. Needs an external Neo4j: set NEO4J_URI and NEO4J_PASSWORD
# (docker-compose.yml does this). Without NEO4J_URI the app would try to start a local Neo4j via
# Java + Maven, which this image does not contain, so it fails fast instead.
FROM node:20-slim

WORKDIR /app

# Dependencies first so the layer is reused until package*.json change. Dev dependencies are
# included on purpose: TypeScript compiles the sources below, esbuild bundles the explorer page, and
# `npm run load` runs through tsx.
# NODE_ENV is set only after this step, because NODE_ENV=production would make `npm ci` skip them.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund && npm cache clean --force

COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY schema ./schema
COPY facts ./facts
# The service runs compiled: plain JavaScript costs less per request than a TypeScript loader.
RUN npx tsc -p tsconfig.build.json
# The explorer page (/explore): its sources bundled by esbuild into dist/explorer, which the service serves.
COPY explorer ./explorer
COPY scripts/build-explorer.ts ./scripts/build-explorer.ts
RUN npx tsx scripts/build-explorer.ts

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000

# Files stay owned by root: the app only reads them, and runs as the image's unprivileged user.
USER node

EXPOSE 4000

HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/graphql?query=%7B__typename%7D').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# node is PID 1 (not npm), so SIGTERM reaches the app and it shuts down cleanly.
CMD ["node", "dist/src/server.js"]
