# The development OpenID Connect provider (tools/oidc) for docker compose: panva's oidc-provider with
# the development users, signing with a key pair kept on the `oidc-keys` volume. Development only: it
# refuses NODE_ENV=production, and a city points the services at its own provider instead (README).
FROM node:20.20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY libs ./libs
COPY services ./services
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json ./
COPY tools ./tools
RUN mkdir -p /var/lib/oidc/dev-keys && chown node:node /var/lib/oidc/dev-keys
USER node
ENV NODE_ENV=development SWC_NODE_PROJECT=tools/tsconfig.json OIDC_HOST=0.0.0.0 DEV_KEY_DIR=/var/lib/oidc/dev-keys
EXPOSE 8080
CMD ["node", "-r", "@swc-node/register", "tools/oidc/main.ts"]
