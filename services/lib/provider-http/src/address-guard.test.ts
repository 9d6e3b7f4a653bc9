import type { LookupAddress } from 'node:dns';
import { PermanentError } from '@notify/errors';
import { AddressGuard } from './address-guard';

const guard = new AddressGuard([]);

describe('AddressGuard', () => {
  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '10.0.0.1',
    '10.255.255.255',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '169.254.0.1',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fc00::1',
    'fd12:3456:789a::1',
    'fe80::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:169.254.169.254',
    // The metadata service and private ranges behind NAT64 and 6to4 gateways.
    '64:ff9b::a9fe:a9fe',
    '64:ff9b::169.254.169.254',
    '64:ff9b::7f00:1',
    '64:ff9b:1::a00:1',
    '2002:a9fe:a9fe::1',
    '2002:c0a8:101::',
  ])('refuses %s', (address) => {
    expect(guard.isAllowed(address)).toBe(false);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '172.32.0.1',
    '11.0.0.1',
    '2606:4700:4700::1111',
    '2001:4860:4860::8888',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '64:ff9b::8.8.8.8',
    '2002:808:808::1',
  ])('allows the public address %s', (address) => {
    expect(guard.isAllowed(address)).toBe(true);
  });

  it('lets an allow-listed IPv4 range through its NAT64 form too', () => {
    const g = new AddressGuard(['10.1.0.0/16']);
    expect(g.isAllowed('64:ff9b::a01:203')).toBe(true);
    expect(g.isAllowed('64:ff9b::a02:203')).toBe(false);
  });

  it('opens exactly the allow-listed range', () => {
    const local = new AddressGuard(['127.0.0.1/32']);
    expect(local.isAllowed('127.0.0.1')).toBe(true);
    expect(local.isAllowed('127.0.0.2')).toBe(false);
    expect(local.isAllowed('10.0.0.1')).toBe(false);
    expect(local.isAllowed('::1')).toBe(false);
    expect(local.isAllowed('8.8.8.8')).toBe(true);
  });

  it('reads an address without a prefix as a single host, and IPv6 ranges', () => {
    const g = new AddressGuard(['10.1.2.3', 'fd00::/8']);
    expect(g.isAllowed('10.1.2.3')).toBe(true);
    expect(g.isAllowed('10.1.2.4')).toBe(false);
    expect(g.isAllowed('fd00::1')).toBe(true);
    expect(g.isAllowed('fc00::1')).toBe(false);
  });

  it('refuses a malformed allow-list entry', () => {
    expect(() => new AddressGuard(['localhost/32'])).toThrow('not a CIDR');
    expect(() => new AddressGuard(['/8'])).toThrow('not a CIDR');
  });

  describe('checkUrl', () => {
    it('refuses IP-literal URLs on private addresses with a permanent error', () => {
      for (const url of ['http://127.0.0.1:8080/hook', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/x', 'https://10.0.0.5/']) {
        let thrown: unknown;
        try {
          guard.checkUrl(new URL(url));
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(PermanentError);
        expect((thrown as PermanentError).code).toBe('destination_refused');
      }
    });

    it('lets public IP literals and host names through (names are checked at connect time)', () => {
      expect(() => guard.checkUrl(new URL('https://8.8.8.8/hook'))).not.toThrow();
      expect(() => guard.checkUrl(new URL('https://hooks.example.com/x'))).not.toThrow();
    });

    it('lets an allow-listed literal through', () => {
      expect(() => new AddressGuard(['127.0.0.1/32']).checkUrl(new URL('http://127.0.0.1:9999/'))).not.toThrow();
    });
  });

  describe('lookup', () => {
    function resolve(g: AddressGuard, host: string, all: boolean) {
      return new Promise<{ err: NodeJS.ErrnoException | null; address: string | LookupAddress[] }>((done) => {
        g.lookup(host, { family: 4, all }, (err, address) => done({ err, address }));
      });
    }

    it('refuses a name that resolves to a private address', async () => {
      const { err } = await resolve(guard, 'localhost', false);
      expect(err?.code).toBe('EDESTREFUSED');
      expect(err?.message).toContain('127.0.0.1');
    });

    it('resolves an allowed name to one address, or to the list when asked for all', async () => {
      const g = new AddressGuard(['127.0.0.0/8']);
      expect(await resolve(g, 'localhost', false)).toEqual({ err: null, address: '127.0.0.1' });
      const all = await resolve(g, 'localhost', true);
      expect(all.err).toBeNull();
      expect(all.address).toEqual(expect.arrayContaining([{ address: '127.0.0.1', family: 4 }]));
    });

    it('passes resolution errors through', async () => {
      const { err } = await resolve(guard, 'does-not-exist.invalid', false);
      expect(err).not.toBeNull();
      expect(err?.code).not.toBe('EDESTREFUSED');
    });
  });
});
