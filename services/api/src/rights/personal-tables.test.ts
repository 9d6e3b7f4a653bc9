import { classify } from './personal-tables';

describe('classify', () => {
  it('picks tables naming a user by (tenant, user_id) or (tenant, recipient) and keeps the audit log', () => {
    const tables = new Map<string, Set<string>>([
      ['inbox', new Set(['tenant', 'user_id'])],
      ['delivery_status', new Set(['tenant', 'recipient'])],
      ['audit_log', new Set(['tenant', 'user_id'])],
      ['api_keys', new Set(['tenant'])],
      ['delivery_claims', new Set([])],
      ['odd', new Set(['user_id'])],
    ]);
    expect(classify(tables)).toEqual([
      { table: 'delivery_status', by: 'recipient' },
      { table: 'inbox', by: 'user_id' },
    ]);
  });
});
