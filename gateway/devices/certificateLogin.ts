/**
 * What the MQTT over TLS listener learnt from a device's client certificate
 * during the TLS handshake (the listener asks for one but lets devices without
 * one through, for password login on the same port).
 */
export interface PresentedCertificate {
  /** TLS verified it against the gateway's CA: signature, dates and the clientAuth purpose. */
  authorized: boolean;
  /** OpenSSL's reason when it is not authorized, e.g. UNABLE_TO_VERIFY_LEAF_SIGNATURE. */
  authorizationError?: string;
  /** SHA-256 of the certificate, "AB:CD:..." as Node prints it (and the registry stores it). */
  fingerprint256: string;
}

/** The registered device a fingerprint belongs to, if any. */
export interface CertificateHolder {
  deviceId: string;
  revoked: boolean;
}

export type CertificateLogin =
  | { ok: true; deviceId: string }
  /** CONNACK 5 (not authorized): a certificate is not a user name and password, so never 4. */
  | { ok: false; returnCode: 5; reason: string };

/**
 * Whether a device presenting a client certificate may connect, and as which
 * device. The certificate is the whole credential: the identity is the device
 * its fingerprint is registered to, a password is not needed (and not
 * checked), the client id is free. A username is optional, but when given it
 * must be that device's id, so that a device configured for one identity never
 * silently becomes another.
 */
export function certificateLogin(
  presented: PresentedCertificate,
  username: string | undefined,
  holder: CertificateHolder | undefined,
): CertificateLogin {
  if (!presented.authorized)
    return {
      ok: false,
      returnCode: 5,
      reason: `certificate not issued by this gateway's CA or not valid now (${presented.authorizationError ?? 'unverified'})`,
    };
  if (!holder)
    return {
      ok: false,
      returnCode: 5,
      reason: `certificate SHA-256 ${presented.fingerprint256} is not registered to any device`,
    };
  if (holder.revoked) return { ok: false, returnCode: 5, reason: `device ${holder.deviceId} revoked` };
  if (username && username !== holder.deviceId)
    return {
      ok: false,
      returnCode: 5,
      reason: `username is not ${holder.deviceId}, the device the certificate was issued to`,
    };
  return { ok: true, deviceId: holder.deviceId };
}
