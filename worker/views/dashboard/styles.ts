/**
 * The dashboard's one stylesheet, served from /dashboard/assets/dashboard.css?v=<hash> with a
 * year of cache (the CSP allows no inline style). Mobile first: usable down to 360 px.
 */
export const DASHBOARD_CSS = `
:root{--fg:#16181d;--muted:#5b6170;--bg:#f6f7f9;--card:#fff;--accent:#3b3bd6;--bad:#b42318;--ok:#0f7b3d;--line:#e3e5ea;color-scheme:light}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent)}main{max-width:60rem;margin:0 auto;padding:1rem}h1{font-size:1.5rem;line-height:1.2;margin:.5rem 0 1rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
.skip{position:absolute;left:-9999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:1}
header.top{background:#fff;border-bottom:1px solid var(--line)}header.top .bar{max-width:60rem;margin:0 auto;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
header.top nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1rem;margin:0;padding:0}header.top nav a{text-decoration:none;font-weight:600;padding:.5rem 0;display:inline-block}
header.top nav a[aria-current=page]{border-bottom:3px solid var(--accent)}.brand{font-weight:700;margin-right:auto}
.inline{display:inline-flex;gap:.5rem;align-items:center;flex-wrap:wrap;margin:0}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:1rem;margin:1rem 0}.card>h2:first-child{margin-top:0}
.muted{color:var(--muted)}.small{font-size:.875rem}.mono{font-family:ui-monospace,Menlo,monospace;overflow-wrap:anywhere}
.btn,button{display:inline-block;border:0;border-radius:10px;padding:.6rem 1rem;font:inherit;font-weight:600;background:var(--accent);color:#fff;text-decoration:none;cursor:pointer;min-height:44px}
.btn.secondary,button.secondary{background:#e8e8fb;color:var(--accent)}button.danger{background:var(--bad)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,input[type=datetime-local]:focus-within{outline:3px solid #9b9bf0;outline-offset:2px}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}input,select{width:100%;max-width:32rem;font:inherit;padding:.6rem;border:1px solid #8a8f9c;border-radius:8px;min-height:44px;background:#fff}
.inline select{width:auto}.hint{color:var(--muted);font-size:.875rem;margin:.25rem 0 0}
.field-error{color:var(--bad);font-size:.9rem;margin:.25rem 0 0;font-weight:600}input[aria-invalid=true],select[aria-invalid=true]{border-color:var(--bad)}
.notice{border-left:4px solid var(--accent);padding:.5rem .75rem;background:#eef;margin:1rem 0}.notice.error{border-color:var(--bad);background:#fde8e7}.notice.ok{border-color:var(--ok);background:#e6f6ec}.notice.test-mode{border-color:#16181d;background:#ffe14d;color:#16181d}
.table-wrap{overflow-x:auto}table{width:100%;border-collapse:collapse}td,th{text-align:left;padding:.5rem .5rem .5rem 0;border-bottom:1px solid var(--line);vertical-align:top}td.num,th.num{text-align:right}
ol.checklist{padding-left:1.25rem}ol.checklist li{margin:.4rem 0}.done{color:var(--ok);font-weight:600}.todo{color:var(--muted);font-weight:600}
.badge{display:inline-block;font-size:.8rem;font-weight:600;border-radius:99px;padding:.1rem .6rem;background:#eef}.badge.test-mode{background:#ffe14d;color:#16181d}
fieldset{border:1px solid var(--line);border-radius:8px;margin:.75rem 0;padding:.5rem .75rem}legend{font-weight:600}.check{display:flex;gap:.5rem;align-items:center;font-weight:400;margin:.25rem 0}.check input{width:auto;min-height:0}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:1rem 0}.btn.danger,button.danger{background:var(--bad);color:#fff}
.editor textarea{width:100%;font:inherit;padding:.6rem;border:1px solid #8a8f9c;border-radius:8px;background:#fff}textarea[aria-invalid=true]{border-color:var(--bad)}
fieldset.section{background:var(--card);border-radius:12px;padding:.75rem 1rem 1rem;margin:1rem 0}fieldset.section>legend{font-size:1.1rem;padding:0 .25rem}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:0 1rem}.grid.dates{grid-template-columns:repeat(auto-fit,minmax(15rem,1fr))}.grid .wide{grid-column:span 2}.grid input,.grid select{max-width:none}
fieldset.row-card{border:0;border-top:1px solid var(--line);border-radius:0;margin:0;padding:.25rem 0 .75rem;min-width:0}.row-card>legend{padding:0 .5rem 0 0}.default-submit{position:absolute;visibility:hidden}.matrix{margin:1rem 0}.matrix caption{text-align:left;font-weight:600;padding:.25rem 0}
.error-summary{border:3px solid var(--bad);border-radius:12px;padding:.5rem 1rem;margin:1rem 0;background:#fff}.error-summary h2{margin:.25rem 0;color:var(--bad)}
dl.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.5rem 1rem;margin:0}dl.figures dt{font-size:.875rem;color:var(--muted)}dl.figures dd{margin:0;font-weight:600}
.room-controls{border-top:1px solid var(--line);margin-top:1rem;padding-top:.5rem}.room-controls .inline input{width:8rem}h3{font-size:1rem;margin:1rem 0 .25rem}
.preview-frame{display:block;width:100%;height:30rem;border:1px solid var(--line);border-radius:12px;background:#fff}button.copy{margin-top:.5rem}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}nav.subnav ul{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;margin:0 0 1rem;padding:0;border-bottom:1px solid var(--line)}nav.subnav a{display:inline-block;padding:.5rem 0;font-weight:600;text-decoration:none}nav.subnav a[aria-current=page]{border-bottom:3px solid var(--accent)}.badge.reviewed{background:#e6f6ec;color:var(--ok)}.badge.open{background:#fde8e7;color:var(--bad)}
@media (max-width:40rem){.grid .wide{grid-column:1/-1}table.stack,.stack tbody,.stack tr,.stack td{display:block}.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}.stack tr{border-bottom:1px solid var(--line);padding:.5rem 0}.stack td{border:0;padding:.15rem 0}.stack td[data-label]::before{content:attr(data-label) ": ";font-weight:600}}
`;

/** FNV-1a of an asset's text: a new version gets a new URL, so it may be cached for a year. */
export function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16);
}

export const DASHBOARD_CSS_PATH = `/dashboard/assets/dashboard.css?v=${fnv1a(DASHBOARD_CSS)}`;
