/** The data tier's ports: the security group rules, the database, the cache and their clients use these. */
export const POSTGRES_PORT = 5432;
export const VALKEY_PORT = 6379;
