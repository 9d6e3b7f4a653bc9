/**
 * The demo's webhook endpoint: prints every delivery and whether its Standard Webhooks signature
 * verifies, as a customer's receiver would check it.
 */
import { createServer } from 'node:http';
import { verify } from '../../../services/channel-webhook/src/signature';

const port = Number(process.env.DEMO_RECEIVER_PORT ?? 9400);
const secret = process.env.DEMO_WEBHOOK_SECRET ?? '';

createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const ok = verify(
      secret,
      {
        id: String(req.headers['webhook-id']),
        timestamp: String(req.headers['webhook-timestamp']),
        signature: String(req.headers['webhook-signature']),
      },
      body,
    );
    const parsed = JSON.parse(body) as { type: string; data: { title?: string; body?: string; user_id?: string } };
    console.log(
      `${new Date().toISOString()} webhook ${req.headers['webhook-id']} signature ${ok ? 'verified' : 'INVALID'}: ${parsed.type} for ${parsed.data.user_id}: ${parsed.data.title} — ${parsed.data.body}`,
    );
    res.writeHead(ok ? 204 : 401).end();
  });
}).listen(port, '127.0.0.1', () => console.log(`demo webhook receiver on http://127.0.0.1:${port}/hooks`));
