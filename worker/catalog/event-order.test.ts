import { describe, expect, it } from 'vitest';
import { reorderTypes } from './event-order';

const types = ['a', 'b', 'c', 'd'].map((id, position) => ({ id, position }));
const order = (list: { id: string }[]) => list.map((t) => t.id).join('');

describe('reorderTypes', () => {
  it('keeps the order when nothing moves, renumbering from 0', () => {
    const shuffled = [
      { id: 'a', position: 3 },
      { id: 'b', position: 7 },
    ];
    expect(reorderTypes(shuffled, [])).toEqual([
      { id: 'a', position: 0 },
      { id: 'b', position: 1 },
    ]);
  });

  it('moves one type to its place, the others keep their order around it', () => {
    expect(order(reorderTypes(types, [{ id: 'd', position: 0 }]))).toBe('dabc');
    expect(order(reorderTypes(types, [{ id: 'a', position: 2 }]))).toBe('bcad');
    expect(order(reorderTypes(types, [{ id: 'b', position: 49 }]))).toBe('acdb');
  });

  it('a position for every type is exactly that order (the dashboard form sends one each)', () => {
    const moves = ['c', 'a', 'd', 'b'].map((id, position) => ({ id, position }));
    expect(order(reorderTypes(types, moves))).toBe('cadb');
  });
});
