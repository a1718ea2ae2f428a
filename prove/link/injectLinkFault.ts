import type { ProxiedKafka } from '../../test/harness/proxiedKafka.ts';
import { waitFor } from '../../test/harness/waitFor.ts';
import type { FaultyLink } from './faultyLink.ts';
import type { LinkFault } from './linkFaults.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How long the broker stays down in a restart, in milliseconds. */
const brokerDownMs = 1500;

/**
 * Starts the broker again; on a loaded machine its start can outlast the
 * harness's 90 s, so a start that timed out is stopped and tried again
 * (three tries), rather than ending the campaign.
 */
async function startAgain(kafka: ProxiedKafka<FaultyLink>): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await kafka.startBroker();
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
      await kafka.stopBroker();
    }
  }
}

/**
 * Does one fault to the link between the gateway and Kafka; resolves when
 * the link is whole again. `lastSyncErrorAt` reads the gateway's sync state
 * (its last send error), so a lost acknowledgement lasts until the gateway
 * has seen a send fail for want of it.
 */
export async function injectLinkFault(
  fault: LinkFault,
  kafka: ProxiedKafka<FaultyLink>,
  lastSyncErrorAt: () => string | undefined,
): Promise<{ sendFailed?: boolean }> {
  const link = kafka.relay;
  switch (fault.kind) {
    case 'cut':
      link.cutAll();
      return {};
    case 'stall':
      await link.stall(fault.ms);
      return {};
    case 'slow':
      link.rateBytesPerSecond = fault.bytesPerSecond;
      await sleep(fault.ms);
      link.rateBytesPerSecond = undefined;
      return {};
    case 'lost-ack': {
      // The produce request reaches the broker and is written; its answer is
      // dropped, the request times out and the sync engine sends the batch
      // again on a new connection (docs/sync.md): a duplicate on Kafka.
      const before = lastSyncErrorAt();
      link.dropReplies = true;
      const sendFailed = await waitFor(
        'a send to fail for want of its acknowledgement',
        () => lastSyncErrorAt() !== before,
        {
          timeoutMs: 20_000,
          intervalMs: 100,
        },
      ).then(
        () => true,
        () => false,
      );
      link.cutAll();
      link.dropReplies = false;
      return { sendFailed };
    }
    case 'broker-restart':
      await kafka.stopBroker();
      await sleep(brokerDownMs);
      await startAgain(kafka);
      return {};
    default: {
      const never: never = fault;
      return never;
    }
  }
}
