import { raw } from 'hono/html';

/** The door scanner's page (`GET /scan`): markup only; scanner/src/index.ts brings it to life. */

export interface ScanAssets {
  app: string;
  css: string;
  worker: string;
  sw: string;
}

export function ScanShell(props: { files: ScanAssets | null }) {
  const { files } = props;
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex" />
          <meta name="theme-color" content="#16181d" />
          <title>Tessera door</title>
          {files ? <link rel="stylesheet" href={files.css} /> : null}
          {files ? <script src={files.app} defer /> : null}
        </head>
        <body>
          <main id="scanner" data-qr-worker={files?.worker} data-sw={files?.sw} data-mode="online">
            {files ? (
              <ScannerBody />
            ) : (
              <p>The scanner is not available right now. Try again shortly.</p>
            )}
          </main>
        </body>
      </html>
    </>
  );
}

function ScannerBody() {
  return (
    <>
      <div class="top">
        <h1>Tessera door</h1>
        <p class="status" id="status" role="status">
          Starting…
        </p>
      </div>
      <section id="pair-panel" aria-labelledby="pair-title">
        <h2 id="pair-title">Pair this device</h2>
        <p>
          In the dashboard, open the event and add a device, then scan its pairing QR with this
          phone's camera, or type the pairing code here.
        </p>
        <form id="pair-form">
          <label for="pair-code">Pairing code</label>
          <div class="row">
            <input
              id="pair-code"
              autocomplete="off"
              autocapitalize="characters"
              spellcheck={false}
            />
            <button type="submit">Pair</button>
          </div>
        </form>
        <p id="pair-progress" class="muted" role="status" />
        <p id="pair-error" class="error" role="alert" />
      </section>
      <section id="scan-panel" hidden aria-labelledby="event-title">
        <h2 id="event-title">Event</h2>
        <p class="muted">
          Device: <span id="device-name" />
        </p>
        <div id="result" class="result" role="status" aria-live="assertive" aria-atomic="true">
          <p class="headline">Ready</p>
          <p class="reason">Scan a ticket.</p>
          <p class="who" />
          <p class="how" />
        </div>
        <form id="code-form">
          <label for="code">Ticket code</label>
          <div class="row">
            <input
              id="code"
              autocomplete="off"
              autocapitalize="off"
              spellcheck={false}
              enterkeyhint="go"
            />
            <button type="submit">Check</button>
          </div>
        </form>
        <div class="tools">
          <button id="camera-toggle" type="button">
            Start camera
          </button>
          <label class="button" for="photo">
            Scan a photo
          </label>
          <input
            id="photo"
            class="visually-hidden"
            type="file"
            accept="image/*"
            capture="environment"
          />
        </div>
        <p id="camera-error" class="error" role="alert" />
        <video id="video" hidden playsinline muted />
        <details>
          <summary>Search by name or order</summary>
          <form id="search-form">
            <label for="q">Name, email or order number</label>
            <div class="row">
              <input id="q" type="search" autocomplete="off" />
              <button type="submit">Search</button>
            </div>
          </form>
          <ul id="search-results" class="found" aria-live="polite" />
        </details>
        <details>
          <summary>List, gate and offline use</summary>
          <label for="list">Check-in list</label>
          <select id="list" />
          <label for="gate">Gate</label>
          <input id="gate" autocomplete="off" maxlength={60} />
          <p id="prepared" class="muted" />
          <div class="tools">
            <button id="prepare" type="button">
              Prepare device
            </button>
            <button id="sync-now" type="button" class="secondary">
              Sync now
            </button>
          </div>
        </details>
      </section>
    </>
  );
}
