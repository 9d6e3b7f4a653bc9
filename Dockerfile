# syntax=docker/dockerfile:1
#
# One image per deployable, all from this file:
#   docker build --target ingest    -t notify/ingest .
#   docker build --target provision -t notify/provision .
# Every target shares the `runtime` layers, so the sixteen images cost one build
# and one set of layers in the registry; they differ only in CMD (and EXPOSE).
#
# Two stages do the work: `build` installs everything (TypeScript, turbo) and
# compiles every package to dist/; `runtime` installs production dependencies
# only and takes nothing from `build` but the compiled code and the assets the
# services read at run time. tests/deploy/production-install.test.ts makes the
# same install for one service and starts it.

# Workspace manifests alone, so editing source does not re-run an install.
# COPY with a wildcard would flatten these paths, hence one line per workspace;
# npm needs every workspace the lockfile lists, tests included, to install.
FROM node:20-slim AS manifests
WORKDIR /app
COPY package.json package-lock.json ./
COPY schemas/package.json schemas/
COPY scripts/package.json scripts/
COPY tests/package.json tests/
COPY services/lib/channel/package.json services/lib/channel/
COPY services/lib/db/package.json services/lib/db/
COPY services/lib/errors/package.json services/lib/errors/
COPY services/lib/kafka/package.json services/lib/kafka/
COPY services/lib/provider-http/package.json services/lib/provider-http/
COPY services/lib/runner/package.json services/lib/runner/
COPY services/aggregator/package.json services/aggregator/
COPY services/api/package.json services/api/
COPY services/channel-discord/package.json services/channel-discord/
COPY services/channel-email/package.json services/channel-email/
COPY services/channel-inapp/package.json services/channel-inapp/
COPY services/channel-pagerduty/package.json services/channel-pagerduty/
COPY services/channel-push/package.json services/channel-push/
COPY services/channel-slack/package.json services/channel-slack/
COPY services/channel-sms/package.json services/channel-sms/
COPY services/channel-teams/package.json services/channel-teams/
COPY services/channel-voice/package.json services/channel-voice/
COPY services/channel-webhook/package.json services/channel-webhook/
COPY services/ingest/package.json services/ingest/
COPY services/router/package.json services/router/
COPY services/tracker/package.json services/tracker/
COPY clients/browser/package.json clients/browser/
COPY clients/typescript/package.json clients/typescript/

FROM manifests AS build
# npm install, not npm ci: see "Installing" in docs/ARCHITECTURE.md (the dev
# dependencies carry the platform binaries npm ci would refuse).
RUN --mount=type=cache,target=/root/.npm npm install --no-audit --no-fund
COPY tsconfig.base.json tsconfig.build.json turbo.json ./
COPY schemas/ schemas/
COPY scripts/ scripts/
COPY services/ services/
COPY clients/ clients/
# Every package to dist/ (the browser inbox client too: the API serves its build).
RUN TURBO_TELEMETRY_DISABLED=1 npm run build
# The compiled code and run-time assets (each package.json's `files`) of every
# deployable and the libraries it uses, at their paths under /runtime.
RUN npx tsx scripts/src/runtime-files.ts /runtime \
      scripts services/aggregator services/api services/channel-discord services/channel-email services/channel-inapp services/channel-pagerduty services/channel-push services/channel-slack services/channel-sms services/channel-teams services/channel-voice services/channel-webhook services/ingest services/router services/tracker

FROM manifests AS runtime
# Production dependencies of the deployables only: no TypeScript, tsx, jest,
# swc or turbo, and nothing only the tests use (their workspace is not named).
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund \
      --workspace=scripts \
      --workspace=services/aggregator \
      --workspace=services/api \
      --workspace=services/channel-discord \
      --workspace=services/channel-email \
      --workspace=services/channel-inapp \
      --workspace=services/channel-pagerduty \
      --workspace=services/channel-push \
      --workspace=services/channel-slack \
      --workspace=services/channel-sms \
      --workspace=services/channel-teams \
      --workspace=services/channel-voice \
      --workspace=services/channel-webhook \
      --workspace=services/ingest \
      --workspace=services/router \
      --workspace=services/tracker
COPY --from=build /runtime/ ./

ENV NODE_ENV=production \
    OPS_PORT=9100
# Numeric so Kubernetes can verify runAsNonRoot; 1000 is the image's `node` user.
USER 1000:1000
EXPOSE 9100

# `node` itself as PID 1's command (no npm or shell in between), so SIGTERM
# reaches the service for its graceful stop (finish the chunk, commit, leave
# the group).
FROM runtime AS provision
CMD ["node", "scripts/dist/provision.js"]

FROM runtime AS ingest
EXPOSE 8080
CMD ["node", "services/ingest/dist/main.js"]

FROM runtime AS router
CMD ["node", "services/router/dist/main.js"]

FROM runtime AS aggregator
CMD ["node", "services/aggregator/dist/main.js"]

FROM runtime AS api
# HTTP + WebSocket API and the web console (/console/).
EXPOSE 8003
CMD ["node", "services/api/dist/main.js"]

FROM runtime AS tracker
CMD ["node", "services/tracker/dist/main.js"]

FROM runtime AS channel-webhook
CMD ["node", "services/channel-webhook/dist/main.js"]

FROM runtime AS channel-inapp
CMD ["node", "services/channel-inapp/dist/main.js"]

FROM runtime AS channel-email
# SendGrid event webhook (FEEDBACK_PORT in the manifests).
EXPOSE 8090
CMD ["node", "services/channel-email/dist/main.js"]

FROM runtime AS channel-sms
# Twilio callbacks (FEEDBACK_PORT in the manifests).
EXPOSE 8090
CMD ["node", "services/channel-sms/dist/main.js"]

FROM runtime AS channel-voice
# Twilio callbacks (FEEDBACK_PORT in the manifests).
EXPOSE 8090
CMD ["node", "services/channel-voice/dist/main.js"]

FROM runtime AS channel-push
CMD ["node", "services/channel-push/dist/main.js"]

FROM runtime AS channel-slack
CMD ["node", "services/channel-slack/dist/main.js"]

FROM runtime AS channel-discord
CMD ["node", "services/channel-discord/dist/main.js"]

FROM runtime AS channel-teams
CMD ["node", "services/channel-teams/dist/main.js"]

FROM runtime AS channel-pagerduty
CMD ["node", "services/channel-pagerduty/dist/main.js"]
