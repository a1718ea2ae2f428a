import { describe, expect, it } from 'vitest';
import { certificateLogin, type PresentedCertificate } from '../../../gateway/devices/certificateLogin.ts';

const trusted: PresentedCertificate = { authorized: true, fingerprint256: 'AA:BB:CC' };
const holder = { deviceId: 'monitor-c1', revoked: false };

describe('certificateLogin', () => {
  it('lets a trusted, registered, unrevoked certificate in as the device it was issued to, whatever the client sends as username', () => {
    expect(certificateLogin(trusted, undefined, holder)).toEqual({ ok: true, deviceId: 'monitor-c1' });
    expect(certificateLogin(trusted, '', holder)).toEqual({ ok: true, deviceId: 'monitor-c1' });
    expect(certificateLogin(trusted, 'monitor-c1', holder)).toEqual({ ok: true, deviceId: 'monitor-c1' });
  });

  it("refuses a certificate TLS did not verify against the gateway CA, with OpenSSL's reason", () => {
    const login = certificateLogin(
      {
        authorized: false,
        authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
        fingerprint256: 'AA:BB:CC',
      },
      'monitor-c1',
      holder,
    );
    expect(login).toEqual({
      ok: false,
      returnCode: 5,
      reason: expect.stringContaining('UNABLE_TO_VERIFY_LEAF_SIGNATURE'),
    });
  });

  it('refuses a certificate from the CA whose fingerprint is registered to no device', () => {
    const login = certificateLogin(trusted, undefined, undefined);
    expect(login).toEqual({
      ok: false,
      returnCode: 5,
      reason: expect.stringContaining('AA:BB:CC is not registered'),
    });
  });

  it('refuses a revoked device', () => {
    expect(certificateLogin(trusted, undefined, { ...holder, revoked: true })).toEqual({
      ok: false,
      returnCode: 5,
      reason: 'device monitor-c1 revoked',
    });
  });

  it("refuses a username that is not the certificate's device: a certificate never logs in as another device", () => {
    expect(certificateLogin(trusted, 'monitor-c2', holder)).toMatchObject({ ok: false, returnCode: 5 });
  });
});
