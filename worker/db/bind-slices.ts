/**
 * D1 binds at most 100 values in one query: a list of ids goes in slices of 90, which leaves
 * room for the query's other parameters.
 */
export const IDS_PER_QUERY = 90;

export function bindSlices<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += IDS_PER_QUERY) out.push(items.slice(i, i + IDS_PER_QUERY));
  return out;
}
