/** A response as the tests read it: status, headers, and the body parsed when it is JSON. */
export interface JsonResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * Reads a fetch Response (the Workers runtime's or Node's): JSON bodies parsed, anything else
 * (pages, SVG) kept as text, an empty body as null.
 */
export async function readJsonResponse<T>(response: Response): Promise<JsonResponse<T>> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: body as T };
}
