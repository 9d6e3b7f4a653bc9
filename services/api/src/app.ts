/**
 * Builds the API's Fastify app from its dependencies; main.ts owns their lifetimes. Tests build it
 * with real Postgres and Kafka and call it through inject() or a real listener.
 */
import fastifyStatic from '@fastify/static';
import websocket from '@fastify/websocket';
import { join } from 'node:path';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { ContactCipher, Db, PersonalKeys } from '@notify/db';
import type { Sealer } from '@notify/schemas';
import type { AdminPort, AvroCodec, OutgoingRecord } from '@notify/kafka';
import type { Logger } from '@notify/runner';
import { createTemplateEngine, TenantTemplates, type EmailLinks } from '@notify/channel';
import { registerAnalyticsRoutes } from './analytics';
import { requireOperator, TenantScopes, type TokenVerifier } from './auth';
import { registerApiKeyRoutes } from './api-keys/api-key-routes';
import { inboxClientDist, registerInboxClientFiles } from './console/inbox-client-files';
import { registerAudienceRoutes } from './audiences/audience-routes';
import { ApiKeyStore } from './api-keys/api-key-store';
import { registerDlqRoutes } from './dlq/dlq-routes';
import type { DlqStore } from './dlq/dlq-store';
import { EndpointHealthStore } from './webhook-endpoints/endpoint-health-store';
import { registerWebhookEndpointRoutes } from './webhook-endpoints/endpoint-routes';
import { installErrorHandlers, sendError } from './http/errors';
import { errorBody } from './http/schemas';
import { InboxRepository } from './inbox/inbox-repository';
import { registerInboxRoutes } from './inbox/inbox-routes';
import type { ApiPublisher } from './kafka/api-publisher';
import { registerLagRoutes } from './lag/lag-routes';
import type { ServiceGroup } from './lag/service-groups';
import { buildOpenApiDocument, recordRoutes } from './openapi/openapi-document';
import { registerOpsRoutes } from './ops/ops-routes';
import { registerPreferenceRoutes } from './preferences';
import type { RealtimeMetrics } from './realtime/realtime-metrics';
import type { SocketHub } from './realtime/socket-hub';
import { registerWsRoute } from './realtime/ws-route';
import { registerRepublishRoute } from './recipients/republish-route';
import { registerRightsRoutes } from './rights/rights-routes';
import { registerUnsubscribe } from './unsubscribe';
import { registerTemplateRenderRoutes } from './templates/template-render-routes';
import { registerTemplateRoutes } from './templates/template-routes';
import { TemplateStore } from './templates/template-store';
import { logRequests } from './http/request-log';
import { traceRequests } from './http/request-tracing';

export interface ApiDeps {
  tokens: TokenVerifier;
  db: Db;
  /** Seals the contact points stored in Postgres and finds them by blind index (DATA_KEYS, BLIND_INDEX_KEY). */
  contacts: ContactCipher;
  codec: AvroCodec;
  publisher: ApiPublisher;
  /** Produces records, resolving once Kafka acknowledged them all (preference and contact writes). */
  send: (records: OutgoingRecord[]) => Promise<void>;
  /** HMAC key of phone verification codes; distinct from the JWT secret. */
  codeHashSecret: string;
  /** Seals one-time codes so that only the SMS worker reads them (SEALING_KEYS). */
  sealer: Sealer;
  /** Users' own data keys: contact points in published records and dispatches are sealed with them. */
  personal: PersonalKeys;
  /** HMAC key of the emailed unsubscribe links, shared with channel-email; empty refuses every link. */
  unsubscribeSecret?: string;
  hub: SocketHub;
  realtimeMetrics: RealtimeMetrics;
  dlqStore: DlqStore;
  admin: AdminPort;
  lagGroups: ServiceGroup[];
  isReady: () => boolean;
  wsPingIntervalMs?: number;
  catchUpPageSize?: number;
  log?: Logger;
  now?: () => number;
  /** Templates: the shipped directory and the settings the email and SMS workers render with, so previews match what they send. */
  templates: { shippedDir: string; email: EmailLinks; smsMaxSegments: number };
}

export async function buildApp(deps: ApiDeps): Promise<FastifyInstance> {
  // Fastify's request logging writes URLs with their query strings (tokens); logRequests writes the route instead.
  // maxParamLength: a 200-character audience name or user id, percent-encoded (up to 12 characters each), fits in a path segment.
  const app = Fastify({
    ...(deps.log ? { loggerInstance: deps.log } : { logger: false }),
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 256 * 1024,
    routerOptions: { maxParamLength: 2400 },
    // Errors the router raises before any route runs (a path segment over maxParamLength, a malformed
    // URL) answer in the API's error shape too.
    frameworkErrors: (error, _request, reply) => {
      void sendError(
        reply,
        error.statusCode ?? 400,
        error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'path_too_long' : 'bad_request',
        error.message,
      );
    },
  }) as unknown as FastifyInstance;
  logRequests(app);
  traceRequests(app);
  const now = deps.now ?? Date.now;
  app.decorateRequest('user', null);
  installErrorHandlers(app);
  // The web console: static files, registered before route recording so they stay out of the OpenAPI document.
  await app.register(fastifyStatic, { root: join(__dirname, '..', 'public'), prefix: '/console/' });
  await registerInboxClientFiles(app, inboxClientDist());
  app.get('/', async (_request, reply) => reply.redirect('/console/'));
  const routes = recordRoutes(app);
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });

  const inbox = new InboxRepository(deps.db);
  const tokens = deps.tokens;
  const scopes = new TenantScopes(deps.db);
  registerInboxRoutes(app, { tokens, inbox, publisher: deps.publisher, now });
  registerWsRoute(app, {
    tokens,
    inbox,
    hub: deps.hub,
    metrics: deps.realtimeMetrics,
    pingIntervalMs: deps.wsPingIntervalMs ?? 30_000,
    catchUpPageSize: deps.catchUpPageSize ?? 200,
  });
  registerDlqRoutes(app, { tokens, scopes, store: deps.dlqStore, codec: deps.codec, publisher: deps.publisher, now });
  registerWebhookEndpointRoutes(app, {
    tokens,
    scopes,
    health: new EndpointHealthStore(deps.db),
    store: deps.dlqStore,
    codec: deps.codec,
    publisher: deps.publisher,
    now,
  });
  registerLagRoutes(app, { tokens, admin: deps.admin, groups: deps.lagGroups });
  registerAnalyticsRoutes(app, { tokens, scopes, db: deps.db, now });
  registerApiKeyRoutes(app, { tokens, scopes, store: new ApiKeyStore(deps.db), now });
  registerRightsRoutes(app, {
    tokens,
    scopes,
    db: deps.db,
    publisher: deps.publisher,
    contacts: deps.contacts,
    personal: deps.personal,
    now,
  });
  registerRepublishRoute(app, {
    db: deps.db,
    send: deps.send,
    codec: deps.codec,
    personal: deps.personal,
    contacts: deps.contacts,
    tokens,
    scopes,
    now,
  });
  const preferences = {
    db: deps.db,
    contacts: deps.contacts,
    send: deps.send,
    codec: deps.codec,
    tokens,
    codeHashSecret: deps.codeHashSecret,
    sealer: deps.sealer,
    personal: deps.personal,
  };
  registerPreferenceRoutes(app, preferences);
  registerAudienceRoutes(app, {
    db: deps.db,
    contacts: deps.contacts,
    send: deps.send,
    codec: deps.codec,
    clock: now,
    tokens,
    personal: deps.personal,
  });
  registerUnsubscribe(app, deps.unsubscribeSecret ?? '', preferences);
  registerOpsRoutes(app, { isReady: deps.isReady });
  const operatorAuth = requireOperator(tokens);
  const engine = createTemplateEngine();
  const templateStore = new TemplateStore(deps.db);
  registerTemplateRoutes(app, { operatorAuth, store: templateStore, engine, shippedDir: deps.templates.shippedDir });
  registerTemplateRenderRoutes(app, {
    operatorAuth,
    db: deps.db,
    contacts: deps.contacts,
    store: templateStore,
    engine,
    codec: deps.codec,
    send: deps.send,
    personal: deps.personal,
    now,
    templates: new TenantTemplates({ db: deps.db, dir: deps.templates.shippedDir, log: app.log, engine }),
    render: { email: deps.templates.email, smsMaxSegments: deps.templates.smsMaxSegments },
  });

  app.get('/openapi.json', { schema: { summary: 'This document', tags: ['ops'] } }, async () =>
    buildOpenApiDocument(routes, { title: 'notify-platform API', version: '1.0.0' }, errorBody),
  );
  return app;
}
