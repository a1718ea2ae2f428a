import type { Logger } from 'pino';

/** How one started component stops. */
export type Closer = () => Promise<void> | void;

export interface ShutdownOrder {
  /** Registers how the component just started stops; it will stop before everything started earlier. */
  add(closer: Closer): void;
  /**
   * Stops everything in reverse order of start, each even if one before it
   * failed (the failure is logged); once, however often it is called.
   */
  close(): Promise<void>;
}

export function createShutdownOrder(logger: Logger): ShutdownOrder {
  const closers: Closer[] = [];
  let closing: Promise<void> | undefined;
  async function closeAll(): Promise<void> {
    for (const closer of closers.reverse()) {
      try {
        await closer();
      } catch (error) {
        logger.error({ err: error }, 'error while stopping');
      }
    }
  }
  return {
    add: (closer) => void closers.push(closer),
    close: () => {
      closing ??= closeAll();
      return closing;
    },
  };
}
