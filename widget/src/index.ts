import { defineTesseraTickets } from './element';

/**
 * The bundle's entry. Its API origin is the origin it was loaded from (counterscale style:
 * the loader injects this script from its own origin); an `api` attribute overrides it.
 */
const script = document.currentScript;
defineTesseraTickets(
  script instanceof HTMLScriptElement && script.src ? new URL(script.src).origin : '',
);
