import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chainHash, GENESIS_HASH, hashedBody } from '../../../kernel/events/chainHash.ts';
import type { ClinicalEvent } from '../../../kernel/events/envelope.ts';
import { exampleDraft } from '../../harness/exampleDrafts.ts';

function stored(seq: number, previousHash: string): ClinicalEvent {
  const unhashed = {
    ...exampleDraft('vital_signs_recorded'),
    gatewayId: 'gw-omdurman-01',
    seq,
    recordedAt: `2024-10-08T10:30:4${seq}.000Z`,
  };
  return { ...unhashed, hash: chainHash(previousHash, hashedBody(unhashed)) };
}

describe('chainHash', () => {
  it('matches a vector computed outside Node (coreutils sha256sum)', () => {
    // printf '%s%s' "$(printf '0%.0s' $(seq 1 64))" '{"a":1}' | sha256sum
    expect(chainHash(GENESIS_HASH, '{"a":1}')).toBe(
      'fc6cee09194dd2578bd7664604fcb72a539066fd34544cea0009c43eb6cdc289',
    );
  });

  it('is SHA-256 over the previous hash followed by the canonical body, as computed with node:crypto', () => {
    const body = hashedBody(stored(1, GENESIS_HASH));
    const expected = createHash('sha256').update(`${GENESIS_HASH}${body}`, 'utf8').digest('hex');
    expect(chainHash(GENESIS_HASH, body)).toBe(expected);
  });

  it('changes when any one character of the body changes', () => {
    const body = hashedBody(stored(1, GENESIS_HASH));
    const original = chainHash(GENESIS_HASH, body);
    const collisions = [...body].flatMap((char, i) => {
      const tampered = `${body.slice(0, i)}${char === 'x' ? 'y' : 'x'}${body.slice(i + 1)}`;
      return chainHash(GENESIS_HASH, tampered) === original ? [i] : [];
    });
    expect(collisions).toEqual([]);
  });

  it('depends on the previous hash: the same body after another event hashes differently', () => {
    const body = hashedBody(stored(1, GENESIS_HASH));
    expect(chainHash(GENESIS_HASH, body)).not.toBe(chainHash('f'.repeat(64), body));
  });

  it('links a log: each event verifies against the hash of the one before it', () => {
    const first = stored(1, GENESIS_HASH);
    const second = stored(2, first.hash);
    const third = stored(3, second.hash);
    const log = [first, second, third];
    log.forEach((event, i) => {
      const previous = i === 0 ? GENESIS_HASH : (log[i - 1]?.hash ?? '');
      expect(chainHash(previous, hashedBody(event))).toBe(event.hash);
    });
    expect(third.hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('hashedBody', () => {
  it("leaves out the event's own hash and does not depend on key order", () => {
    const event = stored(1, GENESIS_HASH);
    const { hash: _hash, ...withoutHash } = event;
    const reordered = Object.fromEntries(Object.entries(event).reverse()) as unknown as ClinicalEvent;
    expect(hashedBody(event)).toBe(hashedBody(withoutHash));
    expect(hashedBody(reordered)).toBe(hashedBody(event));
    expect(hashedBody(event)).not.toContain(event.hash);
  });
});
