import type { Construct } from 'constructs';

// Stryker disable next-line StringLiteral: the marker is only ever compared with itself
const MARKER = 'bandup:internet-facing-load-balancer';

/**
 * Marks a security group as an internet-facing load balancer's group: the only kind of group whose
 * ingress may come from 0.0.0.0/0 or ::/0, and only to ports 80 and 443.
 */
export function markInternetFacingLoadBalancerGroup(group: Construct): void {
  if (isInternetFacingLoadBalancerGroup(group)) return;
  // Stryker disable next-line BooleanLiteral: only the marker's presence is read, never its value
  group.node.addMetadata(MARKER, true);
}

export function isInternetFacingLoadBalancerGroup(group: Construct): boolean {
  return group.node.metadata.some((m) => m.type === MARKER);
}

/** Ports the internet may reach on a load balancer's group. */
export const PUBLIC_LOAD_BALANCER_PORTS: ReadonlySet<number> = new Set([80, 443]);
