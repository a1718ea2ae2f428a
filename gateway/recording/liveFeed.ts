import type { ClinicalEvent } from '../../kernel/events/envelope.ts';

type Listener = (event: ClinicalEvent) => void;

/**
 * Committed events, pushed to the live stream (SSE) and other in-process
 * listeners. A listener that throws is reported and skipped: the events are
 * already durable, and one broken browser tab must not stop the gateway.
 */
export class LiveFeed {
  private readonly listeners = new Set<Listener>();
  private readonly onListenerError: (error: unknown) => void;

  constructor(onListenerError: (error: unknown) => void = () => undefined) {
    this.onListenerError = onListenerError;
  }

  publish(event: ClinicalEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  subscribe(listener: Listener): () => void {
    const own = (event: ClinicalEvent) => listener(event);
    this.listeners.add(own);
    return () => this.listeners.delete(own);
  }
}
