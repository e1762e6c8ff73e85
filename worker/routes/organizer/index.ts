import { Hono } from 'hono';
import type { AppEnv } from '../../app-env';
import { organizerAuth } from '../../middleware/organizer-auth';
import { organizerCancellation } from './cancellation';
import { organizerCheckinLists } from './checkin-lists';
import { organizerDevices } from './devices';
import { organizerEvents } from './events';
import { organizerOrders } from './orders';

/** The organizer API under /api/v1/organizer: every route is authenticated and scoped. */
export const organizer = new Hono<AppEnv>();
organizer.use('*', organizerAuth);
organizer.route('/events', organizerEvents);
organizer.route('/events', organizerCheckinLists);
organizer.route('/events', organizerDevices);
organizer.route('/events', organizerCancellation);
organizer.route('/orders', organizerOrders);
