/**
 * `npm run dev`'s stand-in for an organizer's own website: a page on another origin
 * (http://localhost:8788) that embeds the widget exactly as the README's snippet says, so the
 * cross-origin purchase can be tried by hand. The demo event lists this origin in
 * `allowedOrigins`.
 */
import http from 'node:http';

export const DEMO_SITE_PORT = 8788;
export const DEMO_SITE_ORIGIN = `http://localhost:${DEMO_SITE_PORT}`;

/**
 * @param {string} tesseraUrl e.g. http://localhost:8787
 * @param {string} eventSlug
 */
function demoPage(tesseraUrl, eventSlug) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Night Owls Live: the organizer's own site</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 44rem; padding: 1.5rem; color: #1f2937; }
  header { border-bottom: 1px solid #e5e7eb; margin-bottom: 1.5rem; }
  tessera-tickets.dark { --tessera-accent: #7c2d12; --tessera-radius: 0; }
</style>
<script src="${tesseraUrl}/widget/v1.js" async></script>
</head>
<body>
<header><h1>Night Owls Live</h1><p>An organizer's own site on ${DEMO_SITE_ORIGIN}, embedding Tessera.</p></header>
<h2>Tickets (inline)</h2>
<tessera-tickets event="${eventSlug}"></tessera-tickets>
<h2>Tickets (overlay, German, themed)</h2>
<tessera-tickets class="dark" event="${eventSlug}" mode="overlay" lang="de"></tessera-tickets>
<script>
  for (const name of ['tessera:ready', 'tessera:hold', 'tessera:order-completed'])
    document.addEventListener(name, (e) => console.log(name, e.detail));
</script>
</body>
</html>
`;
}

/**
 * Serves the demo page; resolves false (and serves nothing) when the port is taken.
 * @param {string} tesseraUrl
 * @param {string} eventSlug
 * @returns {Promise<boolean>}
 */
export function startDemoSite(tesseraUrl, eventSlug) {
  const body = demoPage(tesseraUrl, eventSlug);
  const server = http.createServer((req, res) => {
    if (req.url !== '/' && req.url !== '/index.html') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
  });
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(DEMO_SITE_PORT, 'localhost', () => {
      server.unref(); // never keeps `npm run dev` alive after wrangler exits
      resolve(true);
    });
  });
}
