import { app } from './app';

export { EventInventory } from '../durable-objects/event-inventory';

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
