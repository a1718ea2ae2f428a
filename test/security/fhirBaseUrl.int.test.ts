import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { type Hub, startHub } from '../../hub/hubProcess.ts';
import { resolveHubOptions } from '../../hub/hubOptions.ts';
import { uuidV7 } from '../../kernel/events/ids.ts';
import { httpFrom } from '../harness/httpFrom.ts';
import { startTestHub, type TestHub } from '../harness/hubUnderTest.ts';

/**
 * The hub's FHIR Bundles carry absolute links (`link`, `entry.fullUrl`) that
 * clients follow with their bearer token: a request's Host header must not
 * choose them (docs/hub.md#options).
 */
const token = 'attack-token-0123456789abcdef';
const bundleUrls = (body: string) => {
  const bundle = JSON.parse(body) as { link: { url: string }[]; entry?: { fullUrl: string }[] };
  return [...bundle.link.map((link) => link.url), ...(bundle.entry ?? []).map((entry) => entry.fullUrl)];
};

async function withDevice(t: TestHub): Promise<void> {
  await t.query(
    `INSERT INTO fhir_resources (resource_type, id, version_id, last_updated, patient_id, source_event_id, resource)
     VALUES ('Device', 'monitor-7', 1, now(), NULL, $1, $2)`,
    [uuidV7(), { resourceType: 'Device', id: 'monitor-7', meta: { versionId: '1' } }],
  );
}

const searchWithHost = (hub: Hub, host: string) =>
  httpFrom('127.0.0.1', hub.httpPort, 'GET', '/fhir/Device?_count=1', {
    headers: { host, authorization: `Bearer ${token}` },
  });

describe('FHIR Bundle links', () => {
  let t: TestHub;
  let proxied: Hub;
  beforeAll(async () => {
    t = await startTestHub({ services: ['fhir'], apiToken: token });
    await withDevice(t);
    // A second process of the same hub, configured for a TLS proxy in front of it.
    proxied = await startHub(
      {
        ...t.options,
        services: ['fhir'],
        apiToken: token,
        publicBaseUrl: 'https://hub.moh.example/nilecare/',
      },
      { clock: () => new Date(), newId: uuidV7, logger: pino({ level: 'silent' }) },
    );
  });
  afterAll(async () => {
    await proxied?.close();
    await t?.close();
  });

  it('point at the hub’s own listen address whatever Host the request claims, when no base URL is set', async () => {
    const answer = await searchWithHost(t.hub, 'evil.example');
    expect(answer.status).toBe(200);
    const urls = bundleUrls(answer.body);
    expect(urls).toContain(`http://127.0.0.1:${t.hub.httpPort}/fhir/Device/monitor-7`);
    for (const url of urls)
      expect(url.startsWith(`http://127.0.0.1:${t.hub.httpPort}/fhir/`), url).toBe(true);
    expect(answer.body).not.toContain('evil.example');
  });

  it('use the configured base URL behind a proxy, never the Host header', async () => {
    const answer = await searchWithHost(proxied, 'evil.example:8443');
    expect(answer.status).toBe(200);
    const urls = bundleUrls(answer.body);
    expect(urls).toContain('https://hub.moh.example/nilecare/fhir/Device/monitor-7');
    for (const url of urls) expect(url.startsWith('https://hub.moh.example/nilecare/fhir/'), url).toBe(true);
  });
});

describe('the public base URL option', () => {
  it('is refused when it is not an http(s) origin with an optional path, naming the option', () => {
    for (const publicBaseUrl of [
      'evil.example',
      'https://hub.moh.example/?next=evil',
      'javascript:alert(1)',
      'https://user@hub.example/',
    ]) {
      expect(
        () => resolveHubOptions({ databaseUrl: 'postgres://x/y', publicBaseUrl }),
        publicBaseUrl,
      ).toThrow(/HUB_ERR_OPTION_INVALID|publicBaseUrl/);
    }
  });
});
