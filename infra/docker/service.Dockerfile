# Builds one service of the monorepo (build arg SERVICE = folder under services/); docker compose
# builds every service from this file. tools/stack/dockerfiles.spec.ts checks its properties.
#
# Base: Node 22 LTS on Debian bookworm (slim), pinned by version and by the multi-platform index
# digest in both stages, so a rebuild gets the same base until someone moves both on purpose
# (docs/operations.md, "Upgrading the base image").

# --- build: every dependency (SWC, Nx, esbuild), compile the shared libraries and the service ---
FROM node:22.22.0-bookworm-slim@sha256:dd9d21971ec4395903fa6143c2b9267d048ae01ca6d3ea96f16cb30df6187d94 AS build
ARG SERVICE
WORKDIR /app
COPY package.json package-lock.json .npmrc nx.json tsconfig.base.json .swcrc ./
COPY libs ./libs
COPY services ./services
RUN test -n "${SERVICE}" && test -f "services/${SERVICE}/package.json" \
 && npm ci --no-audit --no-fund
RUN npx nx run-many -t build --projects=tag:scope:shared,${SERVICE} --output-style=static
# What the runtime needs of the workspaces, and nothing else: every workspace's package.json (npm ci
# links them), the libraries' compiled code and data (the contracts' schemas and catalogue), and this
# service's dist. No TypeScript sources, tests, scripts or the dashboard's sources.
RUN mkdir /out \
 && tar -c --exclude='./libs/*/src' --exclude='./libs/*/test' --exclude='./libs/*/scripts' \
      --exclude='./libs/*/compat' --exclude='./libs/testing/*' --exclude='*.spec.*' --exclude='*.ts' \
      --exclude='project.json' --exclude='*.md' \
      ./libs ./services/*/package.json "./services/${SERVICE}/dist" \
    | tar -x -C /out \
 && mkdir -p /out/libs/testing && cp libs/testing/package.json /out/libs/testing/package.json

# --- runtime: production dependencies only, compiled code only, a non-root user ---
FROM node:22.22.0-bookworm-slim@sha256:dd9d21971ec4395903fa6143c2b9267d048ae01ca6d3ea96f16cb30df6187d94 AS runtime
ARG SERVICE
ENV NODE_ENV=production \
    SERVICE=${SERVICE} \
    AUDIT_CHECKPOINT_DIR=/var/lib/backbone/audit-checkpoints \
    SIGNING_PKI_DIR=/var/lib/backbone/signing-pki
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY --from=build /out/ ./
# Production dependencies from the lock file; no install scripts (.npmrc: none is needed at run time).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force \
 && rm -rf /root/.npm /tmp/*
# The only writable places (the root filesystem can be read-only): the signed audit checkpoints and the
# signing PKI, on volumes so they outlive the container, and /tmp (a tmpfs under compose/Kubernetes).
# The code stays root's: the service cannot change it.
RUN mkdir -p /var/lib/backbone/audit-checkpoints /var/lib/backbone/signing-pki \
 && chown 1000:1000 /var/lib/backbone/audit-checkpoints /var/lib/backbone/signing-pki
# The image's `node` user.
USER 1000:1000
WORKDIR /app/services/${SERVICE}
# Exec form (no shell reads the script); PORT is the one compose or the Deployment gives.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=6 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Migrations first (as DATABASE_MIGRATION_URL's owner role), then the service.
CMD ["sh", "-c", "node dist/migrate.js && exec node --enable-source-maps dist/main.js"]
