/**
 * Teardown of one environment, planned from the synthesized app (so it cannot drift from the code):
 * the stacks in reverse dependency order, what protection in the synthesized Terraform would block
 * a destroy, and the commands that destroy the environment, optionally keeping a database snapshot
 * and the key that encrypts it.
 */

// biome-ignore lint/suspicious/noExplicitAny: synthesized Terraform JSON is untyped
type Json = Record<string, any>;

/**
 * Stack ids in the order they must be destroyed: a stack before every stack it depends on (its
 * remote-state inputs must still exist while it is destroyed). Ties keep the manifest's order.
 * @param dependencies stack id -> ids of the stacks it reads from (cdktf.out/manifest.json).
 */
export function destroyOrder(dependencies: Readonly<Record<string, readonly string[]>>): string[] {
  const ids = Object.keys(dependencies);
  const dependents = new Map(ids.map((id) => [id, ids.filter((other) => dependencies[other]?.includes(id))]));
  const order: string[] = [];
  const remaining = new Set(ids);
  while (remaining.size > 0) {
    // Destroyable now: nothing still standing depends on it.
    const next = [...remaining].find((id) => (dependents.get(id) ?? []).every((d) => !remaining.has(d)));
    if (!next) throw new Error(`Stack dependency cycle among ${[...remaining].join(', ')}`);
    order.push(next);
    remaining.delete(next);
  }
  return order;
}

/** The stacks of one environment (`bandup-<env>-*`) and their dependencies, from the manifest. */
export function environmentStacks(manifest: Json, env: string): Record<string, string[]> {
  const stacks = (manifest.stacks ?? {}) as Record<string, Json>;
  const prefix = `bandup-${env}-`;
  return Object.fromEntries(
    Object.entries(stacks)
      .filter(([id]) => id.startsWith(prefix))
      .map(([id, stack]) => [
        id,
        ((stack.dependencies ?? []) as string[]).filter((d) => d.startsWith(prefix)),
      ]),
  );
}

/** What in a synthesized stack would stop `terraform destroy` or leave names that block a re-create. */
export function protectionBlockers(stackId: string, stack: Json): string[] {
  const found: string[] = [];
  for (const [type, resources] of Object.entries(
    (stack.resource ?? {}) as Record<string, Record<string, Json>>,
  )) {
    for (const [id, r] of Object.entries(resources)) {
      const where = `${stackId}: ${type}.${id}`;
      if (r.lifecycle?.prevent_destroy) found.push(`${where} has lifecycle.prevent_destroy`);
      if (type === 'aws_db_instance' && r.deletion_protection) found.push(`${where} has deletion_protection`);
      if (type === 'aws_lb' && r.enable_deletion_protection)
        found.push(`${where} has enable_deletion_protection`);
      if (type === 'aws_s3_bucket' && !r.force_destroy) {
        found.push(`${where} is not force_destroy: its object versions must be deleted first`);
      }
      if (type === 'aws_ecr_repository' && !r.force_delete)
        found.push(`${where} is not force_delete: images first`);
      if (type === 'aws_secretsmanager_secret' && (r.recovery_window_in_days ?? 30) > 0) {
        found.push(
          `${where} is kept ${r.recovery_window_in_days ?? 30} days after deletion: its name stays taken`,
        );
      }
      if (
        type === 'aws_db_instance' &&
        r.skip_final_snapshot === false &&
        !String(r.final_snapshot_identifier ?? '').includes('${')
      ) {
        found.push(`${where} has a fixed final snapshot name: a second destroy would fail on it`);
      }
    }
  }
  return found;
}

export interface TeardownOptions {
  readonly env: string;
  /** Directory of the synthesized stacks (`cdktf.out/stacks`). */
  readonly stacksDir: string;
  readonly order: readonly string[];
  readonly region: string;
  /** Take a manual snapshot first and keep the data key that encrypts it. */
  readonly keepSnapshot?: {
    readonly dbInstance: string;
    readonly stamp: string;
    readonly dataKeyAddress: string;
  };
}

export interface TeardownStep {
  readonly why: string;
  readonly command: readonly string[];
}

/** The commands, in order. Nothing here runs them: the script prints them or runs them. */
export function teardownSteps(options: TeardownOptions): TeardownStep[] {
  const steps: TeardownStep[] = [];
  const tf = (stack: string, ...args: string[]) => [
    'terraform',
    `-chdir=${options.stacksDir}/${stack}`,
    ...args,
  ];
  const data = options.order.find((id) => id.endsWith('-data'));
  if (options.keepSnapshot && data) {
    const { dbInstance, stamp, dataKeyAddress } = options.keepSnapshot;
    const snapshot = `${dbInstance}-teardown-${stamp}`;
    steps.push(
      {
        why: `Snapshot ${dbInstance} (unique name: a later teardown never collides with it)`,
        command: [
          'aws',
          'rds',
          'create-db-snapshot',
          '--region',
          options.region,
          '--db-instance-identifier',
          dbInstance,
          '--db-snapshot-identifier',
          snapshot,
        ],
      },
      {
        why: 'Wait until the snapshot is available',
        command: [
          'aws',
          'rds',
          'wait',
          'db-snapshot-available',
          '--region',
          options.region,
          '--db-snapshot-identifier',
          snapshot,
        ],
      },
      { why: `Initialise ${data} to edit its state`, command: tf(data, 'init', '-input=false') },
      {
        why: 'Keep the data key that encrypts the snapshot: forget it in state so the destroy does not schedule its deletion',
        command: tf(data, 'state', 'rm', dataKeyAddress),
      },
    );
  }
  for (const stack of options.order) {
    steps.push(
      { why: `Initialise ${stack}`, command: tf(stack, 'init', '-input=false') },
      { why: `Destroy ${stack}`, command: tf(stack, 'destroy', '-auto-approve', '-input=false') },
    );
  }
  return steps;
}

/** Terraform address of the data stack's data key (`aws_kms_key.<id>`), found by its alias. */
export function dataKeyAddress(dataStack: Json, env: string): string {
  const aliases = (dataStack.resource?.aws_kms_alias ?? {}) as Record<string, Json>;
  const alias = Object.values(aliases).find((a) => a.name === `alias/bandup-${env}-data`);
  const ref = /\$\{(aws_kms_key\.[^.]+)\.key_id\}/.exec(String(alias?.target_key_id))?.[1];
  if (!ref) throw new Error(`No data key aliased alias/bandup-${env}-data in the data stack`);
  return ref;
}
