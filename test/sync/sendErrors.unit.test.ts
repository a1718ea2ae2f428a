import { KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { classifySendError } from '../../sync/sendErrors.ts';

const protocol = (type: string, code: number, retriable = false) =>
  new KafkaJSProtocolError({ type, code, retriable, message: `${type} from the broker` } as never);

describe('what a failed send means for its events', () => {
  it('condemns the records when Kafka refuses them as too large or invalid, however kafkajs wraps it', () => {
    // As kafkajs' retrier wraps a broker error it will not retry (src/retry/index.js).
    const broker = protocol('MESSAGE_TOO_LARGE', 10);
    const tooLarge = Object.assign(new KafkaJSNonRetriableError(broker), { cause: broker });
    expect(classifySendError(tooLarge)).toMatchObject({ kind: 'rejected', code: 'MESSAGE_TOO_LARGE' });
    expect(classifySendError(protocol('RECORD_LIST_TOO_LARGE', 18))).toMatchObject({ kind: 'rejected' });
    expect(classifySendError(protocol('INVALID_RECORD', 87))).toMatchObject({ kind: 'rejected' });
  });

  it('retries after anything about the link, the broker or the topic', () => {
    const leader = new KafkaJSNumberOfRetriesExceeded(protocol('NOT_LEADER_FOR_PARTITION', 6, true), {
      retryCount: 2,
      retryTime: 100,
    });
    expect(classifySendError(leader)).toMatchObject({ kind: 'transient', code: 'NOT_LEADER_FOR_PARTITION' });
    expect(classifySendError(protocol('UNKNOWN_TOPIC_OR_PARTITION', 3, true))).toMatchObject({
      kind: 'transient',
    });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      name: 'KafkaJSConnectionError',
    });
    expect(classifySendError(refused)).toMatchObject({ kind: 'transient', code: 'KafkaJSConnectionError' });
    expect(classifySendError('odd')).toMatchObject({ kind: 'transient', message: 'odd' });
  });

  it("retries when the broker refuses the records' time: the gateway's clock is off, not the event", () => {
    // Kafka 4 refuses a CreateTime more than an hour ahead of its own clock (message.timestamp.after.max.ms);
    // the clock campaign (docs/reliability.md#clock-faults) had events dead-lettered for it.
    const broker = protocol('INVALID_TIMESTAMP', 32);
    const wrapped = Object.assign(new KafkaJSNonRetriableError(broker), { cause: broker });
    expect(classifySendError(wrapped)).toMatchObject({ kind: 'transient', code: 'INVALID_TIMESTAMP' });
  });
});
