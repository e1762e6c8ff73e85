import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { inlineStyle } from './inline-code';

/**
 * The shell of every hosted page: mobile-first, system fonts, one small inline stylesheet,
 * no client framework. Pages must stay under 30 KB.
 */
const CSS = `
:root{--fg:#16181d;--muted:#5b6170;--bg:#f6f7f9;--card:#fff;--accent:#3b3bd6;--accent-fg:#fff;--ok:#0f7b3d;--warn:#9a5b00;--bad:#b42318;--line:#e3e5ea;color-scheme:light}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:40rem;margin:0 auto;padding:1rem}h1{font-size:1.6rem;line-height:1.2;margin:.5rem 0}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:1rem;margin:1rem 0}
.muted{color:var(--muted)}.row{display:flex;gap:.75rem;align-items:center;justify-content:space-between;flex-wrap:wrap}
.btn{display:inline-block;border:0;border-radius:10px;padding:.8rem 1.2rem;font:inherit;font-weight:600;background:var(--accent);color:var(--accent-fg);text-decoration:none;cursor:pointer;min-height:44px}
.btn.secondary{background:#e8e8fb;color:var(--accent)}.btn.danger{background:var(--bad)}
.btn:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid #9b9bf0;outline-offset:2px}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}input,select{width:100%;font:inherit;padding:.65rem;border:1px solid #b9bdc7;border-radius:8px;min-height:44px;background:#fff}
.badge{display:inline-block;font-size:.8rem;font-weight:600;border-radius:99px;padding:.1rem .6rem;background:#eef}
.badge.few_left{background:#fff2d6;color:var(--warn)}.badge.sold_out,.badge.not_on_sale{background:#fde8e7;color:var(--bad)}.badge.paid{background:#dcf5e6;color:var(--ok)}
.notice{border-left:4px solid var(--accent);padding:.5rem .75rem;background:#eef}.notice.error{border-color:var(--bad);background:#fde8e7}
table{width:100%;border-collapse:collapse}td,th{text-align:left;padding:.4rem 0;border-bottom:1px solid var(--line)}td.num,th.num{text-align:right}
.qr{width:100%;max-width:260px;height:auto;display:block;margin:.5rem auto;background:#fff}.qr svg{display:block;width:100%;height:auto}.qr.big{max-width:360px}
.field-error{color:var(--bad);font-size:.9rem;margin:.25rem 0 0}.total td{font-weight:700;border-bottom:0}.small{font-size:.85rem}
.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;word-break:break-all}
footer{color:var(--muted);font-size:.85rem;text-align:center;padding:2rem 0}
.test-payments{margin:0;padding:.6rem 1rem;text-align:center;background:#ffe14d;color:#16181d;border-bottom:3px solid #16181d}
progress{display:block;width:100%;height:1rem;accent-color:var(--accent)}.big{font-size:1.25rem;font-weight:600}
@media print{body{background:#fff}.noprint{display:none}.card{border:0}}
.frame{width:100%;height:70vh;border:1px solid var(--line);border-radius:12px;background:#fff}.wrap{white-space:pre-wrap;overflow-wrap:anywhere}
`;
const STYLESHEET = inlineStyle(CSS);

/** The page shell. `refreshSeconds` makes the browser reload the page (no JS needed). */
export function Layout(props: {
  title: string;
  children: Child;
  refreshSeconds?: number | undefined;
  /** The page polls by script: the refresh is only the fallback for browsers without JS. */
  refreshIsFallback?: boolean | undefined;
  noindex?: boolean | undefined;
}) {
  return (
    <>
      {/* Without a doctype browsers render in quirks mode. */}
      {raw('<!doctype html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          {props.refreshSeconds && props.refreshIsFallback ? (
            <noscript>
              <meta http-equiv="refresh" content={String(props.refreshSeconds)} />
            </noscript>
          ) : props.refreshSeconds ? (
            <meta http-equiv="refresh" content={String(props.refreshSeconds)} />
          ) : null}
          {props.noindex ? <meta name="robots" content="noindex" /> : null}
          <title>{props.title}</title>
          {/* Raw (escaping would break its quotes), and allowed by its hash in the page CSP. */}
          <style>{STYLESHEET}</style>
        </head>
        <body>
          <main>{props.children}</main>
          <footer>Tickets by Tessera</footer>
        </body>
      </html>
    </>
  );
}
