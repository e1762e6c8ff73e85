import { describe, expect, it } from 'vitest';
import { clientKeyOf, UNKNOWN_CLIENT } from './client-key';

describe('clientKeyOf', () => {
  it('keys an IPv4 client by its address', () => {
    expect(clientKeyOf('203.0.113.7')).toBe('ip4:203.0.113.7');
    expect(clientKeyOf(' 203.0.113.7 ')).toBe('ip4:203.0.113.7');
    expect(clientKeyOf('203.000.113.007')).toBe('ip4:203.0.113.7');
    expect(clientKeyOf('203.0.113.8')).not.toBe(clientKeyOf('203.0.113.7'));
  });

  it('keys an IPv6 client by its /64, whatever address in it is used', () => {
    const key = clientKeyOf('2001:db8:1:2::1');
    expect(key).toBe('ip6:2001:db8:1:2::/64');
    expect(clientKeyOf('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe(key);
    expect(clientKeyOf('2001:db8:1:2:0:0:0:99')).toBe(key);
    expect(clientKeyOf('2001:db8:1:3::1')).not.toBe(key);
  });

  it('gives every textual form of one address the same key', () => {
    const key = clientKeyOf('2001:db8::1');
    expect(key).toBe('ip6:2001:db8:0:0::/64');
    for (const form of [
      '2001:0db8:0000:0000:0000:0000:0000:0001',
      '2001:DB8::1',
      '2001:db8:0::1',
      '2001:db8::0:1',
      '[2001:db8::1]',
      '2001:db8::1%eth0',
    ]) {
      expect(clientKeyOf(form), form).toBe(key);
    }
    expect(clientKeyOf('::')).toBe('ip6:0:0:0:0::/64');
    expect(clientKeyOf('::1')).toBe('ip6:0:0:0:0::/64');
    expect(clientKeyOf('2001:db8:1:2::')).toBe('ip6:2001:db8:1:2::/64');
  });

  it('treats IPv4-mapped IPv6 as the IPv4 client it is', () => {
    expect(clientKeyOf('::ffff:203.0.113.7')).toBe('ip4:203.0.113.7');
    expect(clientKeyOf('::FFFF:cb00:7107')).toBe('ip4:203.0.113.7');
    expect(clientKeyOf('0:0:0:0:0:ffff:203.0.113.7')).toBe('ip4:203.0.113.7');
  });

  it('puts requests without a usable address together under one key', () => {
    for (const bad of [
      undefined,
      null,
      '',
      'localhost',
      '256.1.1.1',
      '1.2.3',
      '2001:db8::1::2',
      '2001:db8:1:2:3:4:5:6:7',
      '2001:db8:1:2:3:4:5',
      '1:2:3:4:5:6:7::8',
      '2001:db8::12345',
      'ffff::g',
    ]) {
      expect(clientKeyOf(bad), String(bad)).toBe(UNKNOWN_CLIENT);
    }
  });
});
