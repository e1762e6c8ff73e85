/**
 * CORS for the storefront API, the headers only; which origin is allowed is decided by
 * `storefrontCors` (worker/middleware/storefront-cors.ts) from the event's `allowedOrigins`.
 *
 * An allowed origin gets `Access-Control-Allow-Origin: <that origin>` (never `*`: the answer
 * differs per event); a refused one gets no CORS headers, so the browser hides the response.
 * Every answer says `Vary: Origin`, because a shared cache must not hand one site's answer to
 * another.
 */

/** Methods the storefront API answers cross-origin. */
export const CORS_ALLOWED_METHODS = 'GET, POST, DELETE';

/** Request headers the widget sends. */
export const CORS_ALLOWED_HEADERS =
  'Content-Type, Authorization, Idempotency-Key, Tessera-Admission';

/**
 * Response headers the widget reads: the wait before a retry, and the server's clock (`Date`),
 * which its countdown runs on (a buyer's own clock may be minutes off).
 */
export const CORS_EXPOSED_HEADERS = 'Retry-After, Date';

/** How long a browser may reuse a preflight answer (Chromium caps it at 2 hours). */
export const CORS_MAX_AGE_SECONDS = 600;

/** A CORS preflight: `OPTIONS` naming the method of the request to come. */
export function isPreflight(request: Request): boolean {
  return request.method === 'OPTIONS' && request.headers.has('access-control-request-method');
}

/** Methods that change something and are refused outright for an origin that is not allowed. */
export function isStateChanging(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}

/** `http(s)://host[:port]` exactly as browsers send it in `Origin` (not `null`, no path). */
export function isWellFormedOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === origin;
  } catch {
    return false;
  }
}

/** Adds `Vary: Origin` unless the response already varies on it. */
function varyOnOrigin(headers: Headers): void {
  const vary = headers.get('vary');
  if (vary === '*' || vary?.split(',').some((v) => v.trim().toLowerCase() === 'origin')) return;
  headers.append('vary', 'Origin');
}

/** The answer to a preflight: 204, with the CORS grant only when `allowedOrigin` is given. */
export function preflightResponse(allowedOrigin: string | null): Response {
  const headers = new Headers();
  if (allowedOrigin) {
    headers.set('access-control-allow-origin', allowedOrigin);
    headers.set('access-control-allow-methods', CORS_ALLOWED_METHODS);
    headers.set('access-control-allow-headers', CORS_ALLOWED_HEADERS);
    headers.set('access-control-max-age', String(CORS_MAX_AGE_SECONDS));
  }
  varyOnOrigin(headers);
  return new Response(null, { status: 204, headers });
}

/**
 * Marks a response's headers for the requesting origin: the grant when `allowedOrigin` is
 * given, and `Vary: Origin` always. The headers must be mutable (a response the app built).
 */
export function applyCors(headers: Headers, allowedOrigin: string | null): void {
  // The widget's countdown needs the server's time; the runtime does not always add `Date`.
  if (!headers.has('date')) headers.set('date', new Date().toUTCString());
  if (allowedOrigin) {
    headers.set('access-control-allow-origin', allowedOrigin);
    headers.set('access-control-expose-headers', CORS_EXPOSED_HEADERS);
  }
  varyOnOrigin(headers);
}
