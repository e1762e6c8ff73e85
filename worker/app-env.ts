import type { DrizzleD1Database } from 'drizzle-orm/d1';
import type * as schema from './db/schema';

/** Hono's environment for every route: bindings from wrangler.toml plus per-request values. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    db: DrizzleD1Database<typeof schema>;
    /** Set by the organizer auth middleware. */
    organizerId: string;
  };
}
