import type { Principal } from './access/principal';
import type { BuyerSession } from './buyers/buyer-sessions';
import type { Db } from './db/client';
import type { DoorDevice } from './door/devices';

/** Hono's environment for every route: bindings from wrangler.toml plus per-request values. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    db: Db;
    /** Set by the organizer auth middleware and the dashboard's session: the workspace. */
    organizerId: string;
    /** Who is asking (member or API key), with role and event scope; see worker/access/. */
    principal: Principal;
    /** Set by the door auth middleware: the paired device making the request. */
    device: DoorDevice;
    /** Set by handlers of a test-mode event's or order's page: the page gets the TEST banner. */
    testMode: boolean;
    /** Set by "My tickets" (middleware/buyer-session.ts): the buyer's live session, or null. */
    buyer: BuyerSession | null;
  };
}
