/**
 * Refuses webhook destinations on private, loopback, link-local and metadata addresses, also when they
 * are wrapped in a NAT64 or 6to4 IPv6 address (embedded-ipv4.ts). The check runs
 * on the address the socket actually dials (inside the connection's DNS lookup), so a hostname that
 * resolves differently the second time (DNS rebinding) cannot slip through. An allow-list of subnets
 * opens specific ranges for tests and on-premise receivers.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { PermanentError } from '@notify/errors';
import { embeddedIpv4 } from './embedded-ipv4';

function blocked(): BlockList {
  const list = new BlockList();
  for (const [net, prefix] of [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['127.0.0.0', 8],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
    ['224.0.0.0', 4],
    ['240.0.0.0', 4],
  ] as const)
    list.addSubnet(net, prefix, 'ipv4');
  // No ::ffff:0:0/96 rule: BlockList checks IPv4 addresses against IPv6 rules in their IPv4-mapped
  // form, so that rule would refuse every IPv4 address; mapped addresses (::ffff:127.0.0.1) are
  // already caught by the IPv4 rules above.
  for (const [net, prefix] of [
    ['::', 128],
    ['::1', 128],
    ['fc00::', 7],
    ['fe80::', 10],
    ['ff00::', 8],
  ] as const)
    list.addSubnet(net, prefix, 'ipv6');
  return list;
}

export class AddressGuard {
  private readonly deny = blocked();
  private readonly allow = new BlockList();

  /** `allowed` holds CIDRs such as 127.0.0.1/32 or ::1/128. */
  constructor(allowed: readonly string[]) {
    for (const cidr of allowed) {
      const [net, bits] = cidr.split('/');
      const family = isIP(net ?? '');
      if (!net || family === 0) throw new Error(`not a CIDR: ${cidr}`);
      this.allow.addSubnet(net, Number(bits ?? (family === 4 ? 32 : 128)), family === 4 ? 'ipv4' : 'ipv6');
    }
  }

  isAllowed(address: string): boolean {
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (this.allow.check(address, family)) return true;
    if (this.deny.check(address, family)) return false;
    // A NAT64 or 6to4 address is as good as the IPv4 address a gateway turns it into.
    const inside = family === 'ipv6' ? embeddedIpv4(address) : null;
    return inside === null || this.isAllowed(inside);
  }

  /** Throws when an IP-literal URL host is refused (no lookup happens for those). */
  checkUrl(url: URL): void {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) !== 0 && !this.isAllowed(host)) {
      throw new PermanentError('destination_refused', `webhook destination ${host} is a private or reserved address`);
    }
  }

  /** A dns.lookup replacement for the HTTP agent's connector. */
  lookup = (
    hostname: string,
    options: LookupOptions,
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as LookupAddress[];
      const refused = list.find((a) => !this.isAllowed(a.address));
      if (refused) {
        const error: NodeJS.ErrnoException = new Error(`webhook destination ${hostname} resolves to refused address ${refused.address}`);
        error.code = 'EDESTREFUSED';
        return callback(error, '', 0);
      }
      if (options.all) return callback(null, list);
      const first = list[0];
      return first ? callback(null, first.address, first.family) : callback(new Error(`no address for ${hostname}`), '', 0);
    });
  };
}
