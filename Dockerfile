# One image, two start commands:
#   web:    docker run -p 3000:3000 -e DATABASE_URL=... -e TESSERA_SECRET_KEY=... tessera
#   worker: docker run -e DATABASE_URL=... -e TESSERA_SECRET_KEY=... tessera node --max-semi-space-size=8 .output/server/worker.mjs
# The built server (.output) carries its own traced node_modules, the migrations and the
# worker's own lean entry (worker.mjs, its dependencies bundled in).

FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY nuxt.config.ts tsconfig.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:24-slim AS runtime
# NODE_OPTIONS: the web's flags of scripts/server-node-flags.mjs (a smaller V8 young
# generation than Node 24 picks); the worker's command gives its own, which override them
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-semi-space-size=16 \
    PORT=3000 \
    APP_ROLE=web
WORKDIR /app
COPY --from=build --chown=node:node /app/.output ./.output
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/api/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", ".output/server/index.mjs"]
