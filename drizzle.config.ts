import { defineConfig } from 'drizzle-kit';

// Generates numbered SQL into d1-migrations/, which wrangler applies (`npm run db:generate`).
export default defineConfig({
  dialect: 'sqlite',
  schema: './worker/db/schema.ts',
  out: './d1-migrations',
});
