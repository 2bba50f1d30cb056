export type { AppName } from '../../config/release-record.js';

/** Service Connect names: the backend publishes `backend:8080`; the standby cell its own name. */
export const BACKEND_DNS = { primary: 'backend', standby: 'backend-standby' } as const;
