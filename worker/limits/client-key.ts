/**
 * Who a request counts as, for rate limits and the per-client hold cap: the client's address
 * from `CF-Connecting-IP`. An IPv4 address is one client. An IPv6 client is its /64 prefix:
 * one home or phone gets a whole /64 and can pick any of its 2^64 addresses, so the exact
 * address would make every request a new client. Textual variants of one address (`::`,
 * zero-padding, upper case, a zone id, IPv4-mapped IPv6) give the same key.
 */

/** Every request without a usable address shares this one key (fails closed, not open). */
export const UNKNOWN_CLIENT = 'unknown';

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEXTET = /^[0-9a-f]{1,4}$/;

/** The key of the client at `address` (the `CF-Connecting-IP` header's value). */
export function clientKeyOf(address: string | null | undefined): string {
  const text =
    address
      ?.trim()
      .toLowerCase()
      .replace(/^\[|\]$/g, '') ?? '';
  const v4 = parseIpv4(text);
  if (v4) return `ip4:${v4.join('.')}`;
  const v6 = parseIpv6(text);
  if (!v6) return UNKNOWN_CLIENT;
  const mapped = mappedIpv4(v6);
  if (mapped) return `ip4:${mapped.join('.')}`;
  return `ip6:${v6
    .slice(0, 4)
    .map((h) => h.toString(16))
    .join(':')}::/64`;
}

function parseIpv4(text: string): number[] | null {
  const match = IPV4.exec(text);
  if (!match) return null;
  const octets = match.slice(1).map(Number);
  return octets.every((o) => o <= 255) ? octets : null;
}

/** The eight 16-bit groups of an IPv6 address, or null when it is not one. */
function parseIpv6(text: string): number[] | null {
  const address = text.replace(/%.*$/, '');
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const head = groupsOf(halves[0] ?? '');
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? '') : [];
  if (!head || !tail) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const missing = 8 - head.length - tail.length;
  // `::` stands for at least one zero group.
  if (missing < 1) return null;
  return [...head, ...Array<number>(missing).fill(0), ...tail];
}

/** `a:b:c` (the last part may be dotted IPv4: two groups) -> numbers; '' -> none. */
function groupsOf(part: string): number[] | null {
  if (part === '') return [];
  const pieces = part.split(':');
  const groups: number[] = [];
  for (const [i, piece] of pieces.entries()) {
    const v4 = i === pieces.length - 1 ? parseIpv4(piece) : null;
    if (v4) {
      groups.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
    } else if (HEXTET.test(piece)) {
      groups.push(Number.parseInt(piece, 16));
    } else {
      return null;
    }
  }
  return groups;
}

/** `::ffff:a.b.c.d` is the IPv4 client a.b.c.d, whichever way it is written. */
function mappedIpv4(groups: number[]): number[] | null {
  const isMapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (!isMapped) return null;
  const high = groups[6] ?? 0;
  const low = groups[7] ?? 0;
  return [high >> 8, high & 255, low >> 8, low & 255];
}

/** The client key of a request, from the `CF-Connecting-IP` header Cloudflare's edge sets. */
export function requestClientKey(c: { req: { header(name: string): string | undefined } }): string {
  return clientKeyOf(c.req.header('cf-connecting-ip'));
}
