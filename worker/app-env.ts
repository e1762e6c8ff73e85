import type { Db } from './db/client';
import type { DoorDevice } from './door/devices';

/** Hono's environment for every route: bindings from wrangler.toml plus per-request values. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    db: Db;
    /** Set by the organizer auth middleware. */
    organizerId: string;
    /** Set by the organizer auth middleware: the key that made the request. */
    apiKeyId: string;
    /** Set by the door auth middleware: the paired device making the request. */
    device: DoorDevice;
  };
}
