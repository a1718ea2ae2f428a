import mqtt from 'mqtt';
import type { AlertSource } from './fleetProtocol.ts';

/** Called with "<deviceId>#<deviceSeq>" of the critical reading that arrived (undefined if it names none) and when. */
export type OnArrival = (readingKey: string | undefined, receivedAt: number) => void;

export interface AlertListener {
  close(): Promise<void>;
}

export function listenForAlerts(source: AlertSource, onArrival: OnArrival): Promise<AlertListener> {
  return source.kind === 'sse'
    ? listenToLiveStream(source.url, source.cookie, onArrival)
    : listenToPlainBroker(source.url, source.topic, onArrival);
}

interface StreamedEvent {
  eventId: string;
  causationId?: string;
  data: { deviceId?: string; deviceSeq?: number; oxygenSaturation?: { value: number } };
}

/**
 * The nurse's view: GET /api/v1/stream (SSE). A critical_value_detected frame
 * names its reading by causationId; the reading's own frame (streamed just
 * before it, from the same commit) gives that reading's device and seq.
 */
async function listenToLiveStream(url: string, cookie: string, onArrival: OnArrival): Promise<AlertListener> {
  const controller = new AbortController();
  const response = await fetch(url, {
    signal: controller.signal,
    headers: { accept: 'text/event-stream', cookie },
  });
  if (!response.ok || !response.body) throw new Error(`GET ${url}: HTTP ${response.status}`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const lowSpo2Readings = new Map<string, string>();
  let buffer = '';

  const onFrame = (frame: string, receivedAt: number) => {
    const type = /^event: (.*)$/m.exec(frame)?.[1];
    const data = /^data: (.*)$/m.exec(frame)?.[1];
    if (!data || (type !== 'vital_signs_recorded' && type !== 'critical_value_detected')) return;
    const event = JSON.parse(data) as StreamedEvent;
    if (type === 'vital_signs_recorded') {
      if ((event.data.oxygenSaturation?.value ?? 100) <= 91)
        lowSpo2Readings.set(event.eventId, `${event.data.deviceId}#${event.data.deviceSeq}`);
      return;
    }
    const readingKey = event.causationId === undefined ? undefined : lowSpo2Readings.get(event.causationId);
    if (event.causationId !== undefined) lowSpo2Readings.delete(event.causationId);
    onArrival(readingKey, receivedAt);
  };

  const reading = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      const receivedAt = performance.now();
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        onFrame(buffer.slice(0, end), receivedAt);
        buffer = buffer.slice(end + 2);
      }
    }
  })().catch((error: unknown) => {
    if (!controller.signal.aborted) throw error;
  });

  return {
    async close() {
      controller.abort();
      await reading;
    },
  };
}

/** The baseline: a subscriber on the plain broker, receiving the readings themselves. */
async function listenToPlainBroker(url: string, topic: string, onArrival: OnArrival): Promise<AlertListener> {
  const client = await mqtt.connectAsync(url, {
    clientId: 'bench-ward-board',
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  client.on('message', (messageTopic, payload) => {
    const receivedAt = performance.now();
    const reading = JSON.parse(payload.toString('utf8')) as {
      seq: number;
      vitals: { spo2?: { value: number } };
    };
    if ((reading.vitals.spo2?.value ?? 100) > 91) return;
    onArrival(`${messageTopic.split('/')[3]}#${reading.seq}`, receivedAt);
  });
  await client.subscribeAsync(topic, { qos: 0 });
  return { close: () => client.endAsync() };
}
