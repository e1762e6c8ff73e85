import { describe, expect, it } from 'vitest';
import { IsolateMemo } from './isolate-memo';

describe('IsolateMemo', () => {
  it('shares one load among concurrent callers and keeps it for keepMs', async () => {
    const memo = new IsolateMemo<number>();
    let loads = 0;
    const load = async () => ++loads;
    const [a, b] = await Promise.all([
      memo.get('k', load, () => 1000, 0),
      memo.get('k', load, () => 1000, 0),
    ]);
    expect([a, b, loads]).toEqual([1, 1, 1]);
    expect(await memo.get('k', load, () => 1000, 999)).toBe(1);
    expect(await memo.get('k', load, () => 1000, 1000)).toBe(2);
  });

  it('forgets failed loads and values it is told not to keep', async () => {
    const memo = new IsolateMemo<number | null>();
    await expect(
      memo.get(
        'k',
        () => Promise.reject(new Error('down')),
        () => 1000,
        0,
      ),
    ).rejects.toThrow();
    expect(
      await memo.get(
        'k',
        async () => 7,
        () => 1000,
        1,
      ),
    ).toBe(7);
    await memo.get(
      'miss',
      async () => null,
      (v) => (v === null ? 0 : 1000),
      0,
    );
    expect(
      await memo.get(
        'miss',
        async () => 3,
        () => 1000,
        1,
      ),
    ).toBe(3);
  });

  it('drops the oldest entry when full, and takes values set from elsewhere', async () => {
    const memo = new IsolateMemo<string>(2);
    memo.set('a', 'A', 1000, 0);
    memo.set('b', 'B', 1000, 0);
    memo.set('c', 'C', 1000, 0);
    expect(
      await memo.get(
        'a',
        async () => 'reloaded',
        () => 1000,
        1,
      ),
    ).toBe('reloaded');
    expect(
      await memo.get(
        'c',
        async () => 'reloaded',
        () => 1000,
        1,
      ),
    ).toBe('C');
    memo.delete('c');
    expect(
      await memo.get(
        'c',
        async () => 'again',
        () => 1000,
        1,
      ),
    ).toBe('again');
  });
});
