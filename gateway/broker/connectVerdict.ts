import {
  type CertificateHolder,
  certificateLogin,
  type PresentedCertificate,
} from '../devices/certificateLogin.ts';
import { clientIdBelongsTo } from './deviceClientId.ts';

/** The device registry's answer to a username and password. */
export type PasswordCheck =
  /** The device the username names (a device's username is its id). */
  | { outcome: 'accepted'; deviceId: string }
  /** Unknown device, device revoked, wrong password, a certificate device: the registry's reason. */
  | { outcome: 'refused'; reason: string }
  /** The check itself failed (the database); its message. */
  | { outcome: 'failed'; message: string }
  /** Not checked: too many failures from the address or for the device, or too many checks waiting (loginGuard.ts). */
  | { outcome: 'throttled'; reason: string };

/** What the broker knows of a CONNECT when it decides, the registry's answers included. */
export type ConnectFacts = {
  /**
   * Not an identity: a device is who its credential says. But the id must be
   * the device's own (deviceClientId.ts), or a device could end another's
   * session by taking its id [MQTT-3.1.4-2].
   */
  clientId: string;
  username: string | undefined;
  /** Where the connection comes from, named by a refusal that names no device. */
  remoteAddress: string | undefined;
} & (
  | {
      /** The client certificate the TLS handshake checked against the gateway CA. */
      certificate: PresentedCertificate;
      /** The device the certificate is registered to; looked up only for a certificate TLS authorized. */
      holder: CertificateHolder | undefined;
    }
  | {
      certificate?: undefined;
      /** Undefined: the CONNECT lacked a username or a password, so the registry was not asked. */
      passwordCheck: PasswordCheck | undefined;
    }
);

type RefusalCode =
  | 'GW_ERR_DEVICE_AUTH'
  | 'GW_ERR_DEVICE_CERT'
  | 'GW_ERR_DEVICE_CLIENT_ID'
  | 'GW_ERR_DEVICE_LOGIN_THROTTLED';

export type ConnectVerdict =
  | { accept: true; deviceId: string }
  | {
      accept: false;
      /** CONNACK return code (MQTT 3.1.1 section 3.2.2.3): 4 bad user name or password, 5 not authorized. */
      returnCode: 4 | 5;
      code: RefusalCode;
      /** For the log and the quarantine row, never for the device. */
      reason: string;
      /** Who is refused: the device claimed or found, else the remote address (at most 64 characters). */
      origin: string;
    };

/**
 * Whether a CONNECT is accepted, and as which device (pure). A non-zero
 * return code makes the broker close the connection after the CONNACK
 * [MQTT-3.2.2-5], and nothing else the client sent is processed [MQTT-3.1.4-5].
 */
export function connectVerdict(facts: ConnectFacts): ConnectVerdict {
  const verdict = credentialVerdict(facts);
  if (!verdict.accept || clientIdBelongsTo(facts.clientId, verdict.deviceId)) return verdict;
  // Checked after the credential, so an unknown device learns nothing of the rule.
  return {
    accept: false,
    returnCode: 5,
    code: 'GW_ERR_DEVICE_CLIENT_ID',
    reason: `client id is not ${verdict.deviceId} nor starts with "${verdict.deviceId}/"`,
    origin: verdict.deviceId.slice(0, 64),
  };
}

/** Which device the CONNECT's credential proves, if any. */
function credentialVerdict(facts: ConnectFacts): ConnectVerdict {
  const refuse = (
    returnCode: 4 | 5,
    reason: string,
    claimed: string | undefined,
    code: RefusalCode = 'GW_ERR_DEVICE_AUTH',
  ): ConnectVerdict => ({
    accept: false,
    returnCode,
    code,
    reason,
    origin: claimed ? claimed.slice(0, 64) : (facts.remoteAddress ?? 'unknown'),
  });

  if (facts.certificate) {
    // A presented certificate decides alone: a device never falls back to a password.
    const login = certificateLogin(facts.certificate, facts.username, facts.holder);
    return login.ok
      ? { accept: true, deviceId: login.deviceId }
      : refuse(login.returnCode, login.reason, facts.holder?.deviceId, 'GW_ERR_DEVICE_CERT');
  }
  const check = facts.passwordCheck;
  // A password comes only with a username [MQTT-3.1.2-22]; a device needs both.
  if (!check) return refuse(4, 'username (device id) and password are required', facts.username);
  switch (check.outcome) {
    case 'accepted':
      return { accept: true, deviceId: check.deviceId };
    case 'refused':
      // A revoked device is not authorized (5); anything else is a bad username or password (4).
      return refuse(check.reason === 'device revoked' ? 5 : 4, check.reason, facts.username);
    case 'failed':
      return refuse(4, check.message, facts.username);
    case 'throttled':
      // Not authorized (5), not a bad password (4): the password was not looked at.
      return refuse(5, check.reason, facts.username, 'GW_ERR_DEVICE_LOGIN_THROTTLED');
    default: {
      const unhandled: never = check;
      return unhandled;
    }
  }
}
