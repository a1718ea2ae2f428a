import { describe, expect, it } from 'vitest';
import { nextStep, readOrderAck, type RetryPolicy } from '../../../drivers/hl7/orderDelivery.ts';

const ack = (code: string, controlId = 'NW1', reason = '') =>
  `MSH|^~\\&|LIS||NILECARE||20261207083100||ACK^O21^ACK|A1|P|2.5.1\rMSA|${code}|${controlId}|${reason}\r`;

const policy: RetryPolicy = { retryBaseMs: 1_000, retryMaxMs: 10_000, maxRefusals: 3 };
const now = new Date('2026-12-07T08:00:00.000Z');

describe('reading the laboratory system’s ACK of an order', () => {
  it('takes AA and CA as accepted', () => {
    expect(readOrderAck(ack('AA'), 'NW1')).toEqual({ kind: 'accepted' });
    expect(readOrderAck(ack('CA'), 'NW1')).toEqual({ kind: 'accepted' });
  });

  it('takes AE, AR, CE and CR as refused, with the reason from MSA-3', () => {
    for (const code of ['AE', 'AR', 'CE', 'CR'])
      expect(readOrderAck(ack(code, 'NW1', 'unknown test K'), 'NW1')).toEqual({
        kind: 'refused',
        reason: `MSA-1 ${code}: unknown test K`,
      });
  });

  it('does not take an ACK of another message, or no HL7, as an answer', () => {
    expect(readOrderAck(ack('AA', 'NW2'), 'NW1').kind).toBe('unanswered');
    expect(readOrderAck('garbage', 'NW1').kind).toBe('unanswered');
    expect(readOrderAck('MSH|^~\\&|LIS\r', 'NW1').kind).toBe('unanswered');
  });
});

describe('what the outbox does after a try', () => {
  it('marks an accepted order delivered', () => {
    expect(nextStep({ kind: 'accepted' }, { attempts: 4, refusals: 2 }, policy, now)).toEqual({
      kind: 'delivered',
    });
  });

  it('retries a refusal with a doubling pause, then fails it at the limit', () => {
    const refused = { kind: 'refused', reason: 'MSA-1 AE' } as const;
    expect(nextStep(refused, { attempts: 0, refusals: 0 }, policy, now)).toEqual({
      kind: 'retry',
      at: new Date(now.getTime() + 1_000),
      reason: 'MSA-1 AE',
    });
    expect(nextStep(refused, { attempts: 1, refusals: 1 }, policy, now)).toMatchObject({
      at: new Date(now.getTime() + 2_000),
    });
    expect(nextStep(refused, { attempts: 2, refusals: 2 }, policy, now)).toEqual({
      kind: 'failed',
      reason: 'MSA-1 AE',
    });
  });

  it('retries an unanswered order for as long as it takes, the pause capped', () => {
    const silent = { kind: 'unanswered', reason: 'no ACK' } as const;
    const step = nextStep(silent, { attempts: 50, refusals: 2 }, policy, now);
    expect(step).toEqual({ kind: 'retry', at: new Date(now.getTime() + 10_000), reason: 'no ACK' });
  });
});
