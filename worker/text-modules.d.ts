/** Files imported as text (wrangler.toml `[[rules]] type = "Text"`). */
declare module 'htmx.org/dist/htmx.min.js' {
  const source: string;
  export default source;
}
