import { Hono } from 'hono';
import type { AppEnv } from './app-env';
import { handleError, notFoundHandler } from './http/problem';

export const app = new Hono<AppEnv>();

/** Liveness, and the baseline route the benchmark compares every figure against. */
app.get('/healthz', (c) => c.text('ok'));

app.onError(handleError);
app.notFound(notFoundHandler);
