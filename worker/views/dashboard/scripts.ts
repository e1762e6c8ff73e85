import HTMX_SOURCE from 'htmx.org/dist/htmx.min.js';
import { fnv1a } from './styles';

/**
 * The dashboard's scripts, served by the Worker from /dashboard/assets/ under a content hash
 * with a year of cache (the CSP allows `script-src 'self'` and no inline script). Every page
 * works without them; they only enhance: htmx (self-hosted from npm) refreshes live fragments,
 * and the dashboard's own small script adds copy buttons.
 */
export { HTMX_SOURCE };

/**
 * Copy buttons for `<textarea data-copy>` (the embed snippet): only where the Clipboard API
 * exists, announced in a polite live region; the text stays selectable without them.
 */
export const DASHBOARD_JS = `(function(){
if(!navigator.clipboard)return;
document.querySelectorAll('textarea[data-copy]').forEach(function(area){
var button=document.createElement('button');button.type='button';button.className='secondary copy';
button.textContent='Copy';button.setAttribute('aria-describedby',area.id);
var status=document.createElement('p');status.className='hint';status.setAttribute('role','status');status.setAttribute('aria-live','polite');
button.addEventListener('click',function(){
navigator.clipboard.writeText(area.value).then(function(){status.textContent='Copied';setTimeout(function(){status.textContent='';},4000);},
function(){area.focus();area.select();status.textContent='Copying was blocked: press Ctrl+C (⌘C on a Mac) to copy.';});
});
area.insertAdjacentElement('afterend',status);area.insertAdjacentElement('afterend',button);
});
})();
`;

export const HTMX_PATH = `/dashboard/assets/htmx.min.js?v=${fnv1a(HTMX_SOURCE)}`;
export const DASHBOARD_JS_PATH = `/dashboard/assets/dashboard.js?v=${fnv1a(DASHBOARD_JS)}`;

/**
 * htmx's settings for our CSP: no inline indicator style, no eval, no script tags in swapped
 * HTML, requests only to this origin. Read from `<meta name="htmx-config">`.
 */
export const HTMX_CONFIG = JSON.stringify({
  includeIndicatorStyles: false,
  allowEval: false,
  allowScriptTags: false,
  selfRequestsOnly: true,
});
