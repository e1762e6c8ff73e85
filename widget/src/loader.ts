/**
 * `/widget/v1.js`, the stable URL organizers paste: it injects the content-hashed bundle from
 * its own origin, once per page however often it is included. Kept tiny; cached briefly.
 */
declare const __TESSERA_BUNDLE__: string;

(() => {
  const self = document.currentScript;
  if (!(self instanceof HTMLScriptElement) || !self.src) return;
  if (window.customElements?.get('tessera-tickets')) return;
  if (document.querySelector('script[data-tessera-bundle]')) return;
  const bundle = document.createElement('script');
  bundle.src = new URL(__TESSERA_BUNDLE__, self.src).href;
  bundle.async = true;
  bundle.setAttribute('data-tessera-bundle', '');
  document.head.appendChild(bundle);
})();
