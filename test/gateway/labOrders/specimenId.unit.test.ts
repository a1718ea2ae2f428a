import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isSpecimenId, specimenIdFrom } from '../../../gateway/labOrders/specimenId.ts';

describe('specimen ids', () => {
  it('are ten characters of base32 without I, L, O or U, and the same bytes give the same id', () => {
    const id = specimenIdFrom(Uint8Array.of(1, 2, 3, 4, 5, 6));
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
    expect(specimenIdFrom(Uint8Array.of(1, 2, 3, 4, 5, 6))).toBe(id);
    expect(isSpecimenId(id)).toBe(true);
  });

  it('carry a check character that catches every single wrong character and every swap of neighbours but 0 with Z', () => {
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    for (let round = 0; round < 50; round += 1) {
      const id = specimenIdFrom(randomBytes(6));
      expect(isSpecimenId(id)).toBe(true);
      for (let at = 0; at < id.length; at += 1) {
        for (const other of alphabet) {
          if (other === id[at]) continue;
          expect(
            isSpecimenId(id.slice(0, at) + other + id.slice(at + 1)),
            `${id} with ${other} at ${at}`,
          ).toBe(false);
        }
        const swapped = id.slice(0, at) + (id[at + 1] ?? '') + (id[at] ?? '') + id.slice(at + 2);
        const pair = `${id[at]}${id[at + 1]}`;
        // Luhn mod N's one blind spot: the first and last characters of its alphabet swapped.
        if (at + 1 < id.length && id[at] !== id[at + 1] && pair !== '0Z' && pair !== 'Z0')
          expect(isSpecimenId(swapped), swapped).toBe(false);
      }
    }
  });

  it('refuses lower case, the letters left out, and the wrong length', () => {
    const id = specimenIdFrom(Uint8Array.of(9, 9, 9, 9, 9, 9));
    expect(isSpecimenId(id.toLowerCase())).toBe(id === id.toLowerCase());
    expect(isSpecimenId(`${id.slice(0, 9)}U`)).toBe(false);
    expect(isSpecimenId(id.slice(1))).toBe(false);
    expect(isSpecimenId(`${id}0`)).toBe(false);
  });

  it('differ across twenty thousand draws (45 random bits)', () => {
    const seen = new Set<string>();
    for (let draw = 0; draw < 20_000; draw += 1) seen.add(specimenIdFrom(randomBytes(6)));
    expect(seen.size).toBe(20_000);
  });
});
