import { describe, expect, it } from 'vitest';
import {
  type ConnectFacts,
  connectVerdict,
  type PasswordCheck,
} from '../../../gateway/broker/connectVerdict.ts';
import type { PresentedCertificate } from '../../../gateway/devices/certificateLogin.ts';

const from = { clientId: 'monitor-bed-12', remoteAddress: '10.0.0.12' };
const fingerprint256 = 'AB:CD:EF:01';
const verified: PresentedCertificate = { authorized: true, fingerprint256 };
const bed12 = { deviceId: 'monitor-bed-12', revoked: false };

const withPassword = (
  username: string | undefined,
  passwordCheck: PasswordCheck | undefined,
): ConnectFacts => ({
  ...from,
  username,
  passwordCheck,
});

describe('a device logging in with its username and password', () => {
  it('is accepted as the device its username names', () => {
    expect(
      connectVerdict(withPassword('monitor-bed-12', { outcome: 'accepted', deviceId: 'monitor-bed-12' })),
    ).toEqual({ accept: true, deviceId: 'monitor-bed-12' });
  });

  it('is refused with CONNACK 4 when it gives no username or no password, named by what it gave', () => {
    expect(connectVerdict(withPassword('monitor-bed-12', undefined))).toEqual({
      accept: false,
      returnCode: 4,
      code: 'GW_ERR_DEVICE_AUTH',
      reason: 'username (device id) and password are required',
      origin: 'monitor-bed-12',
    });
    expect(connectVerdict(withPassword(undefined, undefined))).toMatchObject({
      accept: false,
      returnCode: 4,
      origin: '10.0.0.12',
    });
    expect(connectVerdict({ ...withPassword(undefined, undefined), remoteAddress: undefined })).toMatchObject(
      {
        origin: 'unknown',
      },
    );
  });

  it('is refused with CONNACK 4 for an unknown device or a wrong password, with the registry reason', () => {
    for (const reason of ['unknown device', 'wrong password', 'device logs in with its client certificate']) {
      expect(connectVerdict(withPassword('monitor-bed-12', { outcome: 'refused', reason }))).toEqual({
        accept: false,
        returnCode: 4,
        code: 'GW_ERR_DEVICE_AUTH',
        reason,
        origin: 'monitor-bed-12',
      });
    }
  });

  it('is refused with CONNACK 5, not authorized, when the device is revoked', () => {
    expect(
      connectVerdict(withPassword('monitor-bed-12', { outcome: 'refused', reason: 'device revoked' })),
    ).toMatchObject({ accept: false, returnCode: 5, code: 'GW_ERR_DEVICE_AUTH', reason: 'device revoked' });
  });

  it('is refused with CONNACK 4 when the registry could not check the password', () => {
    expect(
      connectVerdict(withPassword('monitor-bed-12', { outcome: 'failed', message: 'database is locked' })),
    ).toMatchObject({
      accept: false,
      returnCode: 4,
      code: 'GW_ERR_DEVICE_AUTH',
      reason: 'database is locked',
    });
  });

  it('names a refused device by at most 64 characters of its username', () => {
    const long = 'x'.repeat(200);
    const verdict = connectVerdict(withPassword(long, { outcome: 'refused', reason: 'unknown device' }));
    expect(verdict).toMatchObject({ origin: 'x'.repeat(64) });
  });
});

describe('a device presenting a client certificate', () => {
  const withCertificate = (
    certificate: PresentedCertificate,
    holder: typeof bed12 | undefined,
    username?: string,
  ): ConnectFacts => ({ ...from, username, certificate, holder });

  it('is accepted as the device the certificate is registered to, under a client id of its own', () => {
    expect(connectVerdict(withCertificate(verified, bed12))).toEqual({
      accept: true,
      deviceId: 'monitor-bed-12',
    });
    expect(
      connectVerdict({ ...withCertificate(verified, bed12, 'monitor-bed-12'), clientId: 'monitor-bed-12/a' }),
    ).toEqual({
      accept: true,
      deviceId: 'monitor-bed-12',
    });
  });

  it('is refused with CONNACK 5 when TLS did not verify the certificate, named by its address', () => {
    const expired = { authorized: false, fingerprint256, authorizationError: 'CERT_HAS_EXPIRED' };
    expect(connectVerdict(withCertificate(expired, undefined))).toEqual({
      accept: false,
      returnCode: 5,
      code: 'GW_ERR_DEVICE_CERT',
      reason: "certificate not issued by this gateway's CA or not valid now (CERT_HAS_EXPIRED)",
      origin: '10.0.0.12',
    });
  });

  it('is refused with CONNACK 5 when no device holds the certificate', () => {
    expect(connectVerdict(withCertificate(verified, undefined))).toMatchObject({
      accept: false,
      returnCode: 5,
      code: 'GW_ERR_DEVICE_CERT',
      reason: `certificate SHA-256 ${fingerprint256} is not registered to any device`,
      origin: '10.0.0.12',
    });
  });

  it('is refused with CONNACK 5 when its device is revoked, named by that device', () => {
    expect(connectVerdict(withCertificate(verified, { ...bed12, revoked: true }))).toEqual({
      accept: false,
      returnCode: 5,
      code: 'GW_ERR_DEVICE_CERT',
      reason: 'device monitor-bed-12 revoked',
      origin: 'monitor-bed-12',
    });
  });

  it("is refused with CONNACK 5 when its username is another device's id", () => {
    expect(connectVerdict(withCertificate(verified, bed12, 'monitor-bed-13'))).toMatchObject({
      accept: false,
      returnCode: 5,
      code: 'GW_ERR_DEVICE_CERT',
      origin: 'monitor-bed-12',
    });
  });
});

describe("a device's client id", () => {
  const accepted = (clientId: string): ConnectFacts => ({
    ...withPassword('monitor-bed-12', { outcome: 'accepted', deviceId: 'monitor-bed-12' }),
    clientId,
  });

  it('may be its device id, or its device id, "/" and anything', () => {
    for (const clientId of ['monitor-bed-12', 'monitor-bed-12/', 'monitor-bed-12/firmware-2'])
      expect(connectVerdict(accepted(clientId))).toEqual({ accept: true, deviceId: 'monitor-bed-12' });
  });

  it("is refused with CONNACK 5 when it is another device's id, even one its own id begins", () => {
    for (const clientId of ['monitor-bed-13', 'monitor-bed-1', 'monitor-bed-12-b', 'monitor-bed-120', '']) {
      expect(connectVerdict(accepted(clientId))).toEqual({
        accept: false,
        returnCode: 5,
        code: 'GW_ERR_DEVICE_CLIENT_ID',
        reason: 'client id is not monitor-bed-12 nor starts with "monitor-bed-12/"',
        origin: 'monitor-bed-12',
      });
    }
  });

  it('binds a certificate device as it binds a password device', () => {
    const facts: ConnectFacts = {
      ...from,
      clientId: 'monitor-bed-13',
      username: undefined,
      certificate: verified,
      holder: bed12,
    };
    expect(connectVerdict(facts)).toMatchObject({ accept: false, code: 'GW_ERR_DEVICE_CLIENT_ID' });
  });

  it('is not looked at before the credential is proved, so it tells a guesser nothing', () => {
    const facts = {
      ...accepted('someone-else'),
      passwordCheck: { outcome: 'refused', reason: 'wrong password' },
    };
    expect(connectVerdict(facts as ConnectFacts)).toMatchObject({
      code: 'GW_ERR_DEVICE_AUTH',
      returnCode: 4,
    });
  });
});
