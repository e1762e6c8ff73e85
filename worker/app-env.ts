import type { Db } from './db/client';

/** Hono's environment for every route: bindings from wrangler.toml plus per-request values. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    db: Db;
    /** Set by the organizer auth middleware. */
    organizerId: string;
  };
}
