import { describe, expect, it } from 'vitest';
import { eligibleTotal, type ListRules, listRefusal } from './list-rules';

const all: ListRules = {
  direction: 'entry',
  ticketTypeIds: null,
  validFrom: null,
  validUntil: null,
};
const valid = { ticketTypeId: 'tt_ga', status: 'valid' as const };
const open = { canceled: false };
const T = Date.parse('2027-03-01T19:00:00Z');

describe('check-in list rules', () => {
  it('an all-tickets list admits every type; a typed list only its types', () => {
    expect(listRefusal(all, valid, open, T)).toBeNull();
    const vip = { ...all, ticketTypeIds: ['tt_vip'] };
    expect(listRefusal(vip, valid, open, T)).toBe('not_on_list');
    expect(listRefusal(vip, { ...valid, ticketTypeId: 'tt_vip' }, open, T)).toBeNull();
  });

  it('a time window refuses before its start and after its end, both bounds inclusive', () => {
    const window = {
      ...all,
      validFrom: '2027-03-01T18:00:00Z',
      validUntil: '2027-03-01T20:00:00Z',
    };
    expect(listRefusal(window, valid, open, Date.parse('2027-03-01T17:59:59Z'))).toBe(
      'not_valid_yet',
    );
    expect(listRefusal(window, valid, open, Date.parse('2027-03-01T18:00:00Z'))).toBeNull();
    expect(listRefusal(window, valid, open, Date.parse('2027-03-01T20:00:00Z'))).toBeNull();
    expect(listRefusal(window, valid, open, Date.parse('2027-03-01T20:00:01Z'))).toBe(
      'not_valid_anymore',
    );
  });

  it('refunded tickets and canceled events are refused on entry, never on exit', () => {
    const revoked = { ...valid, status: 'revoked' as const };
    expect(listRefusal(all, revoked, open, T)).toBe('refunded');
    expect(listRefusal(all, valid, { canceled: true }, T)).toBe('canceled');
    const exit = { ...all, direction: 'exit' as const };
    expect(listRefusal(exit, revoked, { canceled: true }, T)).toBeNull();
    expect(listRefusal({ ...exit, ticketTypeIds: ['tt_vip'] }, valid, open, T)).toBe('not_on_list');
  });

  it('counts the valid tickets of the list types as its total', () => {
    const byType = new Map([
      ['tt_ga', 5],
      ['tt_vip', 2],
    ]);
    expect(eligibleTotal(all, byType)).toBe(7);
    expect(eligibleTotal({ ticketTypeIds: ['tt_vip'] }, byType)).toBe(2);
    expect(eligibleTotal({ ticketTypeIds: [] }, byType)).toBe(0);
  });
});
