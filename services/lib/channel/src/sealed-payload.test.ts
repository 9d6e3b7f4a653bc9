import { randomBytes } from 'node:crypto';
import { PermanentError } from '@notify/errors';
import { parseSealingKeys, Sealer, type Dispatch } from '@notify/schemas';
import type { RenderedMessage } from './provider';
import { openingSealedFields, REDACTED, redacted } from './sealed-payload';

const sealer = new Sealer(parseSealingKeys(`k1:${randomBytes(32).toString('base64')}`));
const dispatch = (payload: unknown): Dispatch => ({ recipient: 'acme/u1', payload: JSON.stringify(payload) }) as Dispatch;
/** Renders the code the way the SMS template does. */
const render = (d: Dispatch): RenderedMessage => {
  const p = JSON.parse(d.payload) as { code?: string };
  return { title: '', body: `Your code is ${p.code ?? '?'}`, html: `<b>${p.code ?? '?'}</b>`, data: { payload: JSON.parse(d.payload) } };
};

describe('openingSealedFields', () => {
  it('renders the opened value, lists it as a secret, and keeps the payload sealed in the message data', () => {
    const sealed = sealer.seal('004211', 'acme/u1');
    const message = openingSealedFields(render, sealer)(dispatch({ code_sealed: sealed, expires_in_minutes: 10 }));
    expect(message.body).toBe('Your code is 004211');
    expect(message.secrets).toEqual(['004211']);
    expect(message.data.payload).toEqual({ code_sealed: sealed, expires_in_minutes: 10 });
    expect(JSON.stringify(message.data)).not.toContain('004211');
  });

  it('fails the notification for good when the value does not open or the worker holds no key', () => {
    const sealed = sealer.seal('004211', 'acme/u2');
    expect(() => openingSealedFields(render, sealer)(dispatch({ code_sealed: sealed }))).toThrow(PermanentError);
    expect(() => openingSealedFields(render, undefined)(dispatch({ code_sealed: sealer.seal('1', 'acme/u1') }))).toThrow(/no sealing key/);
  });

  it('leaves payloads without sealed fields, and payloads that are not JSON, to the renderer as they are', () => {
    expect(openingSealedFields(render, undefined)(dispatch({ code: 'plain' })).body).toBe('Your code is plain');
    const asText = (d: Dispatch): RenderedMessage => ({ title: '', body: d.payload, data: {} });
    expect(openingSealedFields(asText, sealer)({ recipient: 'acme/u1', payload: 'not json' } as Dispatch)).toEqual({
      title: '',
      body: 'not json',
      data: {},
    });
  });
});

describe('redacted', () => {
  it('blanks every secret in the texts a recorder keeps', () => {
    const message: RenderedMessage = {
      title: 'Code 123456',
      body: 'Your code is 123456. 123456!',
      html: '<b>123456</b>',
      data: {},
      secrets: ['123456'],
    };
    expect(redacted(message)).toMatchObject({
      title: `Code ${REDACTED}`,
      body: `Your code is ${REDACTED}. ${REDACTED}!`,
      html: `<b>${REDACTED}</b>`,
    });
  });
});
