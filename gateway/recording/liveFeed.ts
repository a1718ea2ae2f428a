import { EventEmitter } from 'node:events';
import type { ClinicalEvent } from '../events/envelope.ts';

/** Committed events, pushed to the live stream (SSE) and other in-process listeners. */
export class LiveFeed {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(event: ClinicalEvent): void {
    this.emitter.emit('event', event);
  }

  subscribe(listener: (event: ClinicalEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
