import { embeddedIpv4, ipv6Groups } from './embedded-ipv4';

describe('ipv6Groups', () => {
  it.each<[string, number[] | null]>([
    ['::', [0, 0, 0, 0, 0, 0, 0, 0]],
    ['::1', [0, 0, 0, 0, 0, 0, 0, 1]],
    ['fe80::1', [0xfe80, 0, 0, 0, 0, 0, 0, 1]],
    ['2001:db8:1:2:3:4:5:6', [0x2001, 0xdb8, 1, 2, 3, 4, 5, 6]],
    ['64:ff9b::192.0.2.33', [0x64, 0xff9b, 0, 0, 0, 0, 0xc000, 0x221]],
    ['FE80::1%eth0', [0xfe80, 0, 0, 0, 0, 0, 0, 1]],
    ['10.0.0.1', null],
    ['not an address', null],
  ])('%s', (address, groups) => {
    expect(ipv6Groups(address)).toEqual(groups);
  });
});

describe('embeddedIpv4', () => {
  it.each<[string, string | null]>([
    ['64:ff9b::a9fe:a9fe', '169.254.169.254'],
    ['64:ff9b::192.0.2.33', '192.0.2.33'],
    ['64:ff9b:1::a00:1', '10.0.0.1'],
    ['2002:c0a8:101::1', '192.168.1.1'],
    ['2606:4700:4700::1111', null],
    ['64:ff9b:0:0:1::a00:1', null],
    ['8.8.8.8', null],
  ])('%s', (address, inside) => {
    expect(embeddedIpv4(address)).toBe(inside);
  });
});
