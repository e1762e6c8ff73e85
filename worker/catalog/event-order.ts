/**
 * The order of an event's ticket types after a patch. A type given a `position` moves to that
 * place in the list (0 is first; past the end is last); the others keep their order around
 * it. Positions are then numbered 0..n-1 again, so the stored order never has gaps or ties.
 */
export interface TypeMove {
  id: string;
  position: number;
}

export function reorderTypes<T extends { id: string; position: number }>(
  types: T[],
  moves: TypeMove[],
): T[] {
  const target = new Map(moves.map((m) => [m.id, m.position]));
  const placeOf = (t: T) => target.get(t.id) ?? 0;
  const list = types.filter((t) => !target.has(t.id));
  const moving = types.filter((t) => target.has(t.id)).sort((a, b) => placeOf(a) - placeOf(b));
  for (const type of moving) list.splice(Math.min(placeOf(type), list.length), 0, type);
  return list.map((type, position) => ({ ...type, position }));
}
