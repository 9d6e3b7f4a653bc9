/**
 * JSON schemas shared by routes. Fastify validates requests against them (coercing query strings) and
 * the OpenAPI document is generated from the same objects, so the two cannot drift.
 */
export const cursorParam = { type: 'string', pattern: '^[0-9]{1,18}$', description: 'A `seq` from a previous response' } as const;
export const idParam = { type: 'string', minLength: 1, maxLength: 200 } as const;

export const errorBody = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        fields: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
      },
    },
  },
} as const;

export const inboxItem = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    seq: { type: 'integer' },
    type: { type: 'string' },
    severity: { type: 'string' },
    title: { type: 'string' },
    body: { type: 'string' },
    data: { type: 'object', additionalProperties: true },
    created_at: { type: 'string', format: 'date-time' },
    read_at: { type: ['string', 'null'], format: 'date-time' },
    acknowledged_at: { type: ['string', 'null'], format: 'date-time' },
    archived_at: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;

export const userSecurity = [{ bearerAuth: [] }];
