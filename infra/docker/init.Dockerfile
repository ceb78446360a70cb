# One-shot job for docker compose: creates the per-service databases, the declared topics and the Kafka ACLs.
FROM node:20.20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY libs ./libs
COPY services ./services
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json ./
COPY tools ./tools
COPY infra/kafka/topics.json infra/kafka/principals.json ./infra/kafka/
ENV SWC_NODE_PROJECT=tools/tsconfig.json
CMD ["node", "-r", "@swc-node/register", "tools/stack/init.ts"]
