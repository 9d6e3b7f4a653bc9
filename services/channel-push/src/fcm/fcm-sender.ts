/**
 * FCM HTTP v1 to an Android token: `POST {api_url}/v1/projects/{project}/messages:send` with the
 * project's OAuth2 access token, over undici. firebase-admin is not used because its messaging
 * client dials the fixed host fcm.googleapis.com and cannot be pointed at a test server (see
 * docs/ARCHITECTURE.md, "Mobile push"); this speaks the same documented API.
 */
import { Agent, request } from 'undici';
import { PermanentError, RetryableError } from '@notify/errors';
import type { AppSettings } from '../app-settings';
import type { TargetOutcome } from '../push-outcome';
import type { PushContent } from '../push-payload';
import type { AppTarget } from '../push-targets';
import type { SendInput, TargetSender } from '../target-sender';
import { AccessTokenSource, jsonObject } from './access-token';
import { fcmOutcome } from './fcm-errors';
import { fcmMessage } from './fcm-message';
import type { ServiceAccount } from './service-account';

export interface FcmProject {
  account: ServiceAccount;
  apiUrl: string;
  deepLinkBase?: string | undefined;
}

export interface FcmSenderOptions {
  projects: AppSettings<FcmProject>;
  timeoutMs: number;
  connections: number;
  ca?: string;
  content(input: SendInput<AppTarget>, deepLinkBase: string | undefined): PushContent;
}

interface ProjectClient {
  project: FcmProject;
  tokens: AccessTokenSource;
  sendUrl: string;
}

export class FcmSender implements TargetSender<AppTarget> {
  readonly name = 'fcm';
  private readonly agent: Agent;
  private readonly clients = new Map<FcmProject, ProjectClient>();

  constructor(private readonly options: FcmSenderOptions) {
    this.agent = new Agent({
      connections: options.connections,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: { timeout: options.timeoutMs, ...(options.ca ? { ca: options.ca } : {}) },
    });
  }

  async send(input: SendInput<AppTarget>): Promise<TargetOutcome> {
    const { dispatch, target } = input;
    const project = this.options.projects.find(dispatch.tenant, target.app_id);
    if (!project)
      return {
        kind: 'permanent',
        error: new PermanentError('not_configured', `no FCM settings for tenant ${dispatch.tenant} and app ${target.app_id} (FCM_APPS)`),
      };
    const client = this.clientOf(project);
    let accessToken: string;
    try {
      accessToken = await client.tokens.token();
    } catch (error) {
      if (error instanceof RetryableError) return { kind: 'retry', error };
      if (error instanceof PermanentError) return { kind: 'permanent', error };
      throw error;
    }
    const body = fcmMessage(target.token, this.options.content(input, project.deepLinkBase), input.badge);
    let reply;
    try {
      const response = await request(client.sendUrl, {
        method: 'POST',
        dispatcher: this.agent,
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(body),
      });
      reply = { status: response.statusCode, headers: response.headers, text: await response.body.text() };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      return {
        kind: 'retry',
        error: new RetryableError(typeof code === 'string' ? code : 'network_error', `FCM request failed: ${String(error)}`, {
          cause: error,
        }),
      };
    }
    if (reply.status === 200) {
      const { name } = jsonObject(reply.text);
      return { kind: 'sent', ref: typeof name === 'string' ? name : null };
    }
    if (reply.status === 401) client.tokens.invalidate(accessToken);
    return fcmOutcome(reply, project.account.projectId);
  }

  private clientOf(project: FcmProject): ProjectClient {
    let client = this.clients.get(project);
    if (!client) {
      const base = project.apiUrl.replace(/\/+$/, '');
      client = {
        project,
        tokens: new AccessTokenSource(project.account, this.agent),
        sendUrl: `${base}/v1/projects/${encodeURIComponent(project.account.projectId)}/messages:send`,
      };
      this.clients.set(project, client);
    }
    return client;
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
