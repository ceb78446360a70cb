# Builds one service of the monorepo (build arg SERVICE = folder under services/).
# Each services/<name>/Dockerfile is this file's twin with its SERVICE fixed; compose uses those.
FROM node:20.20-bookworm-slim AS build
ARG SERVICE
WORKDIR /app
COPY package.json package-lock.json .npmrc nx.json tsconfig.base.json .swcrc ./
COPY libs ./libs
COPY services ./services
RUN npm ci --no-audit --no-fund
RUN npx nx run-many -t build --projects=tag:scope:shared,${SERVICE} --output-style=static \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20.20-bookworm-slim
ARG SERVICE
ENV NODE_ENV=production SERVICE=${SERVICE}
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/libs ./libs
COPY --from=build /app/services/${SERVICE} ./services/${SERVICE}
# Signed audit checkpoints (AUDIT_CHECKPOINT_DIR) and the signing PKI, on volumes so they outlive the container.
RUN mkdir -p /var/lib/backbone/audit-checkpoints /var/lib/backbone/signing-pki \
  && chown node:node /var/lib/backbone/audit-checkpoints /var/lib/backbone/signing-pki
USER node
WORKDIR /app/services/${SERVICE}
CMD ["sh", "-c", "node dist/migrate.js && exec node --enable-source-maps dist/main.js"]
