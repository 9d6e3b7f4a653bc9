# syntax=docker/dockerfile:1
#
# One image per deployable, all from this file:
#   docker build --target ingest    -t notify/ingest .
#   docker build --target provision -t notify/provision .
# Every target shares the `base` layers, so the sixteen images cost one build
# and one set of layers in the registry; they differ only in CMD (and EXPOSE).

FROM node:20-slim AS base
WORKDIR /app

# Workspace manifests first, so editing source does not re-run the install. COPY
# with a wildcard would flatten these paths, hence one line per workspace;
# The install needs every workspace the lockfile lists, tests included, to link
# the @notify/* packages.
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

# Dev dependencies are installed on purpose: the services run TypeScript
# through tsx, which is a root devDependency, so `--omit=dev` would leave an
# image whose CMD cannot start. The price is jest, swc, typescript and turbo
# in the image (tens of MB); the fix that avoids it is moving tsx to the root
# `dependencies`, after which this line can add `--omit=dev`.
# NODE_ENV is set only after this step because npm reads it as --omit=dev.
# npm install, not npm ci: see "Installing" in docs/ARCHITECTURE.md.
RUN --mount=type=cache,target=/root/.npm npm install --no-audit --no-fund

COPY tsconfig.base.json ./
COPY schemas/ schemas/
COPY scripts/ scripts/
COPY services/ services/
COPY clients/ clients/
# The API serves the browser inbox client's build (the console's live inbox) and will not start without it.
RUN npm run build --silent -w @notify/inbox-client

ENV NODE_ENV=production \
    OPS_PORT=9100
# Numeric so Kubernetes can verify runAsNonRoot; 1000 is the image's `node` user.
USER 1000:1000
EXPOSE 9100

# `node --import tsx` rather than the tsx CLI: the CLI runs the program in a
# child process, and SIGTERM has to reach the service itself for its graceful
# stop (finish the chunk, commit, leave the group).
FROM base AS provision
CMD ["node", "--import", "tsx", "scripts/src/provision.ts"]

FROM base AS ingest
EXPOSE 8080
CMD ["node", "--import", "tsx", "services/ingest/src/main.ts"]

FROM base AS router
CMD ["node", "--import", "tsx", "services/router/src/main.ts"]

FROM base AS aggregator
CMD ["node", "--import", "tsx", "services/aggregator/src/main.ts"]

FROM base AS api
# HTTP + WebSocket API and the web console (/console/).
EXPOSE 8003
CMD ["node", "--import", "tsx", "services/api/src/main.ts"]

FROM base AS tracker
CMD ["node", "--import", "tsx", "services/tracker/src/main.ts"]

FROM base AS channel-webhook
CMD ["node", "--import", "tsx", "services/channel-webhook/src/main.ts"]

FROM base AS channel-inapp
CMD ["node", "--import", "tsx", "services/channel-inapp/src/main.ts"]

FROM base AS channel-email
# SendGrid event webhook (FEEDBACK_PORT in the manifests).
EXPOSE 8090
CMD ["node", "--import", "tsx", "services/channel-email/src/main.ts"]

FROM base AS channel-sms
# Twilio callbacks (FEEDBACK_PORT in the manifests).
EXPOSE 8090
CMD ["node", "--import", "tsx", "services/channel-sms/src/main.ts"]

FROM base AS channel-voice
# Twilio callbacks (FEEDBACK_PORT in the manifests).
EXPOSE 8090
CMD ["node", "--import", "tsx", "services/channel-voice/src/main.ts"]

FROM base AS channel-push
CMD ["node", "--import", "tsx", "services/channel-push/src/main.ts"]

FROM base AS channel-slack
CMD ["node", "--import", "tsx", "services/channel-slack/src/main.ts"]

FROM base AS channel-discord
CMD ["node", "--import", "tsx", "services/channel-discord/src/main.ts"]

FROM base AS channel-teams
CMD ["node", "--import", "tsx", "services/channel-teams/src/main.ts"]

FROM base AS channel-pagerduty
CMD ["node", "--import", "tsx", "services/channel-pagerduty/src/main.ts"]
