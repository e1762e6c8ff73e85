/**
 * Requests to Tessera's door API with the device token. A request that does not answer within
 * the timeout, or fails on the network, or meets a server error, counts as "offline": the
 * scanner then answers from its own data and probes until the server answers again.
 */

const TIMEOUT_MS = 4000;

export class Offline extends Error {}

/** A refusal the server meant (4xx): not a reason to go offline. */
export class Refused extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(typeof body.detail === 'string' ? body.detail : `HTTP ${status}`);
  }
}

export async function request<T>(
  method: 'GET' | 'POST',
  path: string,
  options: { token?: string; body?: unknown; timeoutMs?: number } = {},
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: controller.signal,
      cache: 'no-store',
    });
  } catch {
    throw new Offline('no answer');
  } finally {
    clearTimeout(timer);
  }
  // A 5xx is an outage (or the service worker's "no network" answer), a 429 a pause.
  if (response.status >= 500 || response.status === 429)
    throw new Offline(`HTTP ${response.status}`);
  const body: unknown = await response.json().catch(() => ({}));
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (!response.ok) throw new Refused(response.status, record);
  return body as T;
}

/** A scan's id: unique per device, so a retried request is the same scan. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `n_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
