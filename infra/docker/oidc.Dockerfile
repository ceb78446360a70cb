# The development OpenID Connect provider (tools/oidc) for docker compose: panva's oidc-provider with
# the development users, signing with a key pair kept on the `oidc-keys` volume. Development only: it
# refuses NODE_ENV=production, and a city points the services at its own provider instead (README).
# It runs TypeScript through @swc-node/register and oidc-provider, both development dependencies.
FROM node:22.22.0-bookworm-slim@sha256:dd9d21971ec4395903fa6143c2b9267d048ae01ca6d3ea96f16cb30df6187d94
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY libs ./libs
COPY services ./services
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json ./
COPY tools ./tools
RUN mkdir -p /var/lib/oidc/dev-keys && chown 1000:1000 /var/lib/oidc/dev-keys
# The image's `node` user; it writes only its key pair, on the volume above.
USER 1000:1000
ENV NODE_ENV=development SWC_NODE_PROJECT=tools/tsconfig.json OIDC_HOST=0.0.0.0 DEV_KEY_DIR=/var/lib/oidc/dev-keys
EXPOSE 8080
CMD ["node", "-r", "@swc-node/register", "tools/oidc/main.ts"]
