import { describe, expect, it } from 'vitest';
import { crossSiteReason, notJsonReason } from '../../../gateway/http/sameOriginWrites.ts';

const own = 'http://127.0.0.1:8080';
const request = (method: string, headers: { origin?: string; secFetchSite?: string } = {}) => ({
  method,
  origin: headers.origin,
  secFetchSite: headers.secFetchSite,
  ownOrigin: own,
});

describe('a state-changing request and where the browser says it comes from', () => {
  it("is the gateway's own when it names its own origin, or comes from a client that names none", () => {
    expect(crossSiteReason(request('POST', { origin: own, secFetchSite: 'same-origin' }))).toBeUndefined();
    expect(crossSiteReason(request('DELETE', { origin: 'HTTP://127.0.0.1:8080' }))).toBeUndefined();
    expect(crossSiteReason(request('PATCH'))).toBeUndefined();
    expect(crossSiteReason(request('POST', { secFetchSite: 'none' }))).toBeUndefined();
  });

  it('is refused from another port, scheme or host of the origin, and from an opaque origin', () => {
    for (const origin of ['http://127.0.0.1:8081', 'https://127.0.0.1:8080', 'http://localhost:8080', 'null'])
      expect(crossSiteReason(request('POST', { origin })), origin).toBe(`Origin ${origin} is not ${own}`);
  });

  it('is refused when Sec-Fetch-Site says same-site or cross-site, whatever Origin says', () => {
    for (const site of ['same-site', 'cross-site'])
      expect(crossSiteReason(request('PUT', { origin: own, secFetchSite: site }))).toBe(
        `Sec-Fetch-Site is ${site}`,
      );
  });

  it('does not matter for reads: GET, HEAD and OPTIONS change nothing', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS'])
      expect(
        crossSiteReason(request(method, { origin: 'http://elsewhere', secFetchSite: 'cross-site' })),
      ).toBeUndefined();
  });

  it('echoes at most 200 characters of what the client sent', () => {
    const reason = crossSiteReason(request('POST', { origin: `http://${'a'.repeat(500)}` }));
    expect(reason?.length).toBeLessThan(260);
  });
});

describe('the body of a state-changing request', () => {
  it('must be JSON, with or without a charset', () => {
    expect(notJsonReason('POST', 'application/json')).toBeUndefined();
    expect(notJsonReason('DELETE', 'Application/JSON; charset=utf-8')).toBeUndefined();
  });

  it('is refused when absent, a form or text', () => {
    expect(notJsonReason('POST', undefined)).toBe('the request has no body');
    expect(notJsonReason('POST', 'text/plain;charset=UTF-8')).toBe('the body is text/plain');
    expect(notJsonReason('PATCH', 'application/x-www-form-urlencoded')).toBe(
      'the body is application/x-www-form-urlencoded',
    );
    expect(notJsonReason('PUT', 'multipart/form-data; boundary=x')).toBe('the body is multipart/form-data');
  });

  it('is not asked of reads', () => {
    expect(notJsonReason('GET', undefined)).toBeUndefined();
  });
});
