/** Minimal IPv4 CIDR arithmetic for config validation (no network, no dependencies). */
export interface Ipv4Block {
  readonly cidr: string;
  /** First address as an unsigned 32-bit integer. */
  readonly start: number;
  /** Last address (inclusive). */
  readonly end: number;
  readonly prefix: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; returns an error message instead of throwing so zod can report it. */
export function parseCidr(cidr: string): Ipv4Block | string {
  const match = CIDR_PATTERN.exec(cidr);
  if (!match) return `"${cidr}" is not an IPv4 CIDR block (a.b.c.d/n)`;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255)) return `"${cidr}" has an octet above 255`;
  if (prefix > 32) return `"${cidr}" has a prefix length above 32`;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (address % size !== 0)
    return `"${cidr}" has host bits set (the network address is not aligned to /${prefix})`;
  return { cidr, start: address, end: address + size - 1, prefix };
}

export function contains(outer: Ipv4Block, inner: Ipv4Block): boolean {
  return inner.start >= outer.start && inner.end <= outer.end;
}

export function overlaps(a: Ipv4Block, b: Ipv4Block): boolean {
  return a.start <= b.end && b.start <= a.end;
}
