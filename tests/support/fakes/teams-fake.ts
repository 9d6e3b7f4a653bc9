/**
 * A local Teams Workflows trigger ("When a Teams webhook request is received"): accepts a `message`
 * whose attachments are Adaptive Cards and answers 202 with a run id, like Power Automate; a body that
 * is not such a message gets 400 `{error: {code, message}}`.
 */
import { jsonBody, startScriptedServer, type FakeRequest, type ScriptedServer } from './scripted-server';

interface Attachment {
  contentType?: string;
  content?: { type?: string; version?: string; $schema?: string; body?: unknown[] };
}

export interface TeamsFake extends ScriptedServer {
  workflowUrl(name: string): string;
  cards(): Array<NonNullable<Attachment['content']>>;
}

export async function startTeamsFake(options: { latencyMs?: number } = {}): Promise<TeamsFake> {
  let seq = 0;
  const server = await startScriptedServer({
    ...options,
    handle: (req: FakeRequest) => {
      if (!req.path.startsWith('/workflows/'))
        return { status: 404, body: { error: { code: 'WorkflowNotFound', message: 'The workflow was not found.' } } };
      const json = jsonBody<{ type?: string; attachments?: Attachment[] }>(req);
      const cards = json.attachments ?? [];
      if (
        json.type !== 'message' ||
        cards.length === 0 ||
        cards.some((a) => a.contentType !== 'application/vnd.microsoft.card.adaptive' || a.content?.type !== 'AdaptiveCard')
      ) {
        return {
          status: 400,
          body: {
            error: { code: 'InvalidRequestContent', message: 'The request content is not a message with Adaptive Card attachments.' },
          },
        };
      }
      seq += 1;
      return { status: 202, headers: { 'x-ms-workflow-run-id': `run-${seq}` } };
    },
  });
  return {
    ...server,
    workflowUrl: (name) => `${server.url}/workflows/${name}/triggers/manual/paths/invoke?api-version=1`,
    cards: () =>
      server.accepted.flatMap((r) =>
        (jsonBody<{ attachments?: Attachment[] }>(r).attachments ?? []).flatMap((a) => (a.content ? [a.content] : [])),
      ),
  };
}
