/**
 * The widget's CSS, inlined in the bundle. Hosts theme it with the `--tessera-*` custom
 * properties and `::part(...)`; the defaults below meet WCAG AA contrast (styles.test.ts).
 */

/** Default colours; each text/background pair is checked for contrast in the tests. */
export const palette = {
  text: '#1f2328',
  muted: '#57606a',
  bg: '#ffffff',
  surface: '#f6f8fa',
  border: '#6e7781',
  accent: '#1d4ed8',
  accentText: '#ffffff',
  danger: '#b42318',
  warn: '#8a4600',
  warnBg: '#fff4e0',
};

const v = (name: string, fallback: string) => `var(--tessera-${name},${fallback})`;
const text = v('text', palette.text);
const muted = v('muted', palette.muted);
const bg = v('bg', palette.bg);
const surface = v('surface', palette.surface);
const border = v('border', palette.border);
const accent = v('accent', palette.accent);
const accentText = v('accent-text', palette.accentText);
const danger = v('danger', palette.danger);
const radius = v('radius', '8px');

export const css = `
:host{all:initial;display:block;box-sizing:border-box;font-family:${v('font', 'system-ui,-apple-system,"Segoe UI",Roboto,sans-serif')};font-size:16px;line-height:1.45;color:${text}}
:host([hidden]){display:none}
*,*::before,*::after{box-sizing:inherit}
.panel{background:${bg};color:${text};border:1px solid ${border};border-radius:${radius};padding:16px;position:relative}
h2{font-size:1.15em;margin:0 0 12px;outline:none}
p{margin:0 0 10px}
.muted{color:${muted}}
.live{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
ul{list-style:none;margin:0 0 12px;padding:0}
.type{display:flex;align-items:center;justify-content:space-between;gap:12px;padding:10px 0;border-bottom:1px solid ${surface}}
.name{font-weight:600;display:block}
.price{color:${muted}}
.badge{display:inline-block;margin-left:8px;padding:0 6px;border-radius:4px;font-size:.85em;background:${v('warn-bg', palette.warnBg)};color:${v('warn', palette.warn)}}
.badge.out{background:${surface};color:${danger}}
.stepper{display:flex;align-items:center;gap:6px;flex:none}
.qty{min-width:2ch;text-align:center;font-variant-numeric:tabular-nums}
button{font:inherit;cursor:pointer;border-radius:${radius};min-height:44px;padding:8px 16px}
button:focus-visible,a:focus-visible,input:focus-visible{outline:3px solid ${accent};outline-offset:2px}
.step{min-width:44px;padding:0;background:${bg};color:${accent};border:1px solid ${border};font-size:1.2em}
.primary{background:${accent};color:${accentText};border:1px solid ${accent};font-weight:600}
.secondary{background:${bg};color:${accent};border:1px solid ${accent}}
.link{background:none;border:none;color:${accent};text-decoration:underline;padding:8px 4px}
[aria-disabled=true],button:disabled{opacity:.55;cursor:not-allowed}
.total,.line{display:flex;justify-content:space-between;gap:12px;margin:0 0 10px}
.total{font-weight:600}
.actions{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin-top:12px}
label{display:block;margin:0 0 10px;font-weight:600}
input{display:block;width:100%;margin-top:4px;font:inherit;font-weight:400;padding:10px;color:${text};background:${bg};border:1px solid ${border};border-radius:${radius}}
.countdown{background:${surface};border-radius:${radius};padding:8px 12px}
.countdown strong{font-variant-numeric:tabular-nums}
.test-mode{margin:0 0 12px;padding:6px 10px;border-radius:4px;font-weight:700;background:${v('warn-bg', palette.warnBg)};color:${v('warn', palette.warn)}}
.notice,.error{color:${danger};font-weight:600}
.sandbox{border:2px dashed ${border};border-radius:${radius};padding:16px;background:${surface};box-shadow:0 8px 24px rgba(0,0,0,.12)}
progress{appearance:none;-webkit-appearance:none;display:block;width:100%;height:12px;margin:4px 0 12px;border:1px solid ${border};border-radius:6px;overflow:hidden;background:${surface};color:${accent}}
progress::-webkit-progress-bar{background:${surface}}
progress::-webkit-progress-value{background:${accent}}
progress::-moz-progress-bar{background:${accent}}
.qrs{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:12px}
.qrs li{text-align:center;background:#fff;color:#1f2328;padding:8px;border-radius:${radius};border:1px solid ${surface}}
.qrs img{width:100%;max-width:180px;height:auto;display:block;margin:0 auto 4px}
a{color:${accent}}
dialog{border:none;padding:0;background:transparent;width:min(480px,calc(100vw - 16px));max-height:calc(100dvh - 16px);overflow:auto}
dialog::backdrop{background:rgba(0,0,0,.55)}
.close{position:absolute;z-index:1;top:4px;right:4px;background:none;border:none;color:${text};font-size:1.4em;min-width:44px;padding:0}
dialog .panel{padding-top:40px}
`;
