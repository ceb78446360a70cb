# One-shot job for docker compose: creates the per-service databases, the declared topics and the Kafka ACLs.
# A tool, not a service: it runs tools/stack/init.ts through @swc-node/register, a development
# dependency, so it installs them all (the services' images do not: service.Dockerfile). Same pinned
# base as the services; it writes nothing, and runs as the image's `node` user.
FROM node:22.22.0-bookworm-slim@sha256:dd9d21971ec4395903fa6143c2b9267d048ae01ca6d3ea96f16cb30df6187d94
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY libs ./libs
COPY services ./services
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json ./
COPY tools ./tools
COPY infra/kafka/topics.json infra/kafka/principals.json ./infra/kafka/
ENV SWC_NODE_PROJECT=tools/tsconfig.json
USER 1000:1000
CMD ["node", "-r", "@swc-node/register", "tools/stack/init.ts"]
