/**
 * The bench's own HTTP client (seeding, buyers, the D1 reads through the probe Worker): JSON
 * over a keep-alive agent. The load itself comes from autocannon (./load.mjs).
 */
import http from 'node:http';
import { asJson } from './format.mjs';

/** @typedef {import('./format.mjs').Json} Json */
/** @typedef {{ status: number, body: Json, text: string }} ApiResponse */

export const keepAliveAgent = new http.Agent({ keepAlive: true });

/**
 * JSON over a keep-alive agent (node:http costs this process far less per request than fetch).
 * @param {URL} base
 * @param {string} method
 * @param {string} pathname
 * @param {unknown} [body]
 * @param {Record<string, string>} [headers]
 * @param {boolean} [retried]
 * @returns {Promise<ApiResponse>}
 */
export function request(base, method, pathname, body, headers = {}, retried = false) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: base.hostname,
        port: base.port,
        path: pathname,
        method,
        agent: keepAliveAgent,
        headers: {
          accept: 'application/json',
          // An explicit empty body: a body the Worker never reads (or chunked framing) makes
          // workerd close the keep-alive connection, and the agent's next request on it fails.
          ...(payload === undefined
            ? { 'content-length': 0 }
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          ...headers,
        },
      },
      (res) => {
        /** @type {Buffer[]} */
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          /** @type {unknown} */
          let parsed;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body: asJson(parsed), text });
        });
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${pathname}: timed out`)));
    req.on('error', (error) => {
      // The keep-alive race Node's docs describe: workerd closed an idle connection just as
      // the agent reused it, and the request never reached the Worker. Sending it again is
      // safe then, and always for a GET.
      const code = /** @type {{ code?: string }} */ (error).code;
      if (code === 'ECONNRESET' && !retried && (req.reusedSocket || method === 'GET')) {
        request(base, method, pathname, body, headers, true).then(resolve, reject);
      } else reject(error);
    });
    req.end(payload);
  });
}

/**
 * Statements in one D1 batch, through the bench's probe Worker; answers each one's rows.
 * @param {URL} base
 * @param {{ sql: string, params?: unknown[] }[]} statements
 * @returns {Promise<Json[][]>}
 */
export async function d1(base, statements) {
  const res = await request(base, 'POST', '/__bench/d1', { statements });
  if (res.status !== 200) throw new Error(`D1: ${res.status} ${res.text.slice(0, 300)}`);
  const results = /** @type {unknown} */ (JSON.parse(res.text));
  if (!Array.isArray(results)) return [];
  return results.map((rows) => (Array.isArray(rows) ? rows.map(asJson) : []));
}

let clients = 0;

/** The `i`-th bench client's address: 10.0.0.0/8, one IPv4 address each. */
export const clientAddress = (/** @type {number} */ i) =>
  `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

/**
 * A `CF-Connecting-IP` of a client never seen before in this run (10.0.0.0/8, one address
 * each): the bench measures the storefront's throughput, not its per-client limits (holds,
 * checkouts and held tickets are capped per client address; see docs/DESIGN.md "Limits").
 * @returns {Record<string, string>}
 */
export function newClient() {
  clients += 1;
  return {
    'cf-connecting-ip': `10.${(clients >> 16) & 255}.${(clients >> 8) & 255}.${clients & 255}`,
  };
}
