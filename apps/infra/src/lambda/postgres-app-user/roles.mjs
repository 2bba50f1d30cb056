/**
 * The backend's PostgreSQL roles, created and kept in shape by the platform (prod has no bastion).
 *
 * - `owner` (NOLOGIN) owns the application's objects and holds its grants: CONNECT and TEMPORARY on
 *   the database, USAGE and CREATE on schema `public`. It has no other attribute (no superuser,
 *   CREATEDB, CREATEROLE, REPLICATION or BYPASSRLS) and is not a member of `rds_superuser`.
 * - two LOGIN users (the alternating users of the rotation) are members of `owner`, and every
 *   session of theirs starts as `owner` (`ALTER ROLE ... SET role`), so whatever Hibernate creates is
 *   owned by `owner` whichever user happens to be current, and the other user can alter it later.
 * - objects in `public` that the master user created (the backend ran as master before) are handed
 *   over to `owner`.
 *
 * Every statement is idempotent: the bootstrap runs on every apply that changes the function.
 */

/** PostgreSQL role names the platform accepts (also what the config schema allows). */
const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Attributes the application roles must never have. CREATE ROLE gives none of them; a role found
 * with one fails the bootstrap (the RDS master user may not even mention SUPERUSER, REPLICATION or
 * BYPASSRLS in ALTER ROLE, so they are checked rather than reset).
 */
const PRIVILEGED_ATTRIBUTES = ['rolsuper', 'rolcreatedb', 'rolcreaterole', 'rolreplication', 'rolbypassrls'];

/**
 * @typedef {{ query(text: string, values?: unknown[]): Promise<{ rows: any[] }>; escapeIdentifier(name: string): string; escapeLiteral(value: string): string }} SqlClient
 * @typedef {{ database: string; owner: string; users: readonly [string, string] }} RoleLayout
 */

/** Checks the names before any of them is put in a statement. */
export function checkRoleLayout(/** @type {RoleLayout} */ layout) {
  const names = [layout.owner, ...layout.users];
  const bad = names.filter((name) => !ROLE_NAME.test(name));
  if (bad.length > 0) throw new Error(`Invalid PostgreSQL role name(s): ${bad.join(', ')}`);
  if (new Set(names).size !== names.length) {
    throw new Error(`Role names must differ: owner ${layout.owner}, users ${layout.users.join(', ')}`);
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(layout.database)) {
    throw new Error(`Invalid database name: ${layout.database}`);
  }
}

/**
 * Creates or repairs the roles and grants. Runs as the master user (the RDS-managed secret).
 * @param {SqlClient} client
 * @param {RoleLayout} layout
 * @returns {Promise<{ created: string[]; reassigned: string[] }>}
 */
export async function ensureApplicationRoles(client, layout) {
  checkRoleLayout(layout);
  const id = (/** @type {string} */ name) => client.escapeIdentifier(name);
  const owner = id(layout.owner);
  const existing = new Set(
    (
      await client.query('SELECT rolname FROM pg_roles WHERE rolname = ANY($1::text[])', [
        [layout.owner, ...layout.users],
      ])
    ).rows.map((row) => row.rolname),
  );
  const created = [];

  if (!existing.has(layout.owner)) {
    await client.query(`CREATE ROLE ${owner} NOLOGIN`);
    created.push(layout.owner);
  }
  await client.query(`ALTER ROLE ${owner} NOLOGIN`);

  for (const user of layout.users) {
    // Created without a password: nobody can log in as it until the rotation sets one.
    if (!existing.has(user)) {
      await client.query(`CREATE ROLE ${id(user)} LOGIN`);
      created.push(user);
    }
    await client.query(`ALTER ROLE ${id(user)} LOGIN`);
    await client.query(`GRANT ${owner} TO ${id(user)}`);
    await client.query(`ALTER ROLE ${id(user)} SET role = ${client.escapeLiteral(layout.owner)}`);
  }

  await refusePrivilegedRoles(client, [layout.owner, ...layout.users]);

  // Only the owner role (and the master, who owns the database) may connect.
  const database = id(layout.database);
  await client.query(`REVOKE ALL ON DATABASE ${database} FROM PUBLIC`);
  await client.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${database} TO ${owner}`);
  await client.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
  await client.query(`GRANT USAGE, CREATE ON SCHEMA public TO ${owner}`);

  // Giving an object away needs membership of the new owner (PostgreSQL 16+ does not imply it).
  await client.query(`GRANT ${owner} TO CURRENT_USER`);
  const reassigned = await reassignMasterObjects(client, layout.owner);
  return { created, reassigned };
}

/** Fails, naming role and attribute, when an application role has a privileged attribute. */
async function refusePrivilegedRoles(client, names) {
  const { rows } = await client.query(
    `SELECT rolname, ${PRIVILEGED_ATTRIBUTES.join(', ')} FROM pg_roles WHERE rolname = ANY($1::text[])`,
    [names],
  );
  const found = rows.flatMap((row) =>
    PRIVILEGED_ATTRIBUTES.filter((attribute) => row[attribute]).map(
      (attribute) => `${row.rolname}.${attribute}`,
    ),
  );
  // Membership of rds_superuser would make the application an administrator too.
  const admins = await client.query(
    `SELECT m.rolname FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member
      WHERE r.rolname IN ('rds_superuser', 'pg_write_server_files', 'pg_execute_server_program', 'pg_read_server_files')
        AND m.rolname = ANY($1::text[])`,
    [names],
  );
  found.push(...admins.rows.map((row) => `${row.rolname} (member of an administrative role)`));
  if (found.length > 0) {
    throw new Error(`Application roles must not be privileged, found: ${found.join(', ')}`);
  }
}

/**
 * Hands the master user's tables, views and free-standing sequences in `public` to the owner role
 * (sequences that belong to a column follow their table).
 * @param {SqlClient} client
 * @param {string} ownerRole
 */
async function reassignMasterObjects(client, ownerRole) {
  const { rows } = await client.query(
    `SELECT c.relname, c.relkind
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public'
        AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = CURRENT_USER)
        AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
        AND NOT (c.relkind = 'S' AND EXISTS (
          SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')))
      ORDER BY c.relkind, c.relname`,
  );
  const kinds = {
    r: 'TABLE',
    p: 'TABLE',
    f: 'FOREIGN TABLE',
    v: 'VIEW',
    m: 'MATERIALIZED VIEW',
    S: 'SEQUENCE',
  };
  const reassigned = [];
  for (const row of rows) {
    const kind = kinds[/** @type {keyof typeof kinds} */ (row.relkind)];
    await client.query(
      `ALTER ${kind} public.${client.escapeIdentifier(row.relname)} OWNER TO ${client.escapeIdentifier(ownerRole)}`,
    );
    reassigned.push(row.relname);
  }
  return reassigned;
}

/**
 * Sets one login user's password from a SCRAM verifier (never the password itself).
 * @param {SqlClient} client
 * @param {RoleLayout} layout
 * @param {string} user
 * @param {string} verifier
 */
export async function setLoginVerifier(client, layout, user, verifier) {
  checkRoleLayout(layout);
  if (!layout.users.includes(user)) {
    throw new Error(
      `Refusing to set a password on ${user}: not one of the application users ${layout.users.join(', ')}`,
    );
  }
  if (!verifier.startsWith('SCRAM-SHA-256$')) throw new Error('Expected a SCRAM-SHA-256 verifier');
  await client.query(
    `ALTER ROLE ${client.escapeIdentifier(user)} LOGIN PASSWORD ${client.escapeLiteral(verifier)}`,
  );
}
