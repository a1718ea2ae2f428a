import type { ErrorArea } from '../../kernel/errors/errorsDoc.ts';

/**
 * GW_ERR_ codes of MQTT over TLS with a client certificate from the gateway's CA: one
 * area of docs/errors.md (#device-certificates-gateway), which gateway/errors.ts
 * composes with the others.
 */
export const deviceCertificateErrors = {
  title: 'Device certificates (gateway)',
  intro: [
    "A device can log in to MQTT over TLS with a client certificate from the gateway's own CA instead",
    'of a password ([operations.md, "Pairing devices"](operations.md#pairing-devices)).',
  ],
  codes: {
    GW_ERR_DEVICE_CERT: {
      status: 401,
      message: 'Device certificate refused at CONNECT: %s',
      meaning: "a device's client certificate was refused at CONNECT",
      solve: 'install the files `nilecare devices add --cert` wrote for that device',
      readable: '`Device certificate refused at CONNECT: <reason>`',
      explanation: [
        'A device connected to MQTT over TLS (port 8883) with a client certificate and was refused with',
        'CONNACK return code 5 (not authorized). The reason says which of these it was:',
        '',
        "- *not issued by this gateway's CA or not valid now*: the certificate comes from another CA",
        "  (another gateway's, a factory default), has expired, or is not for client use;",
        "- *certificate SHA-256 ... is not registered to any device*: it is from this gateway's CA but",
        '  no device holds that fingerprint (issued by hand, or the registration failed);',
        '- *device ... revoked*: `nilecare devices revoke` was run for it;',
        '- *username is not ...*: the device also sent an MQTT username, and it is not the id the',
        '  certificate was issued to.',
        '',
        'A device that presents a certificate is judged by it alone: it never falls back to a password.',
        'The refusal is quarantined (origin: the device id when the certificate is registered, else the',
        'username or the address) and counted in',
        '`events_failed_total{channel="mqtt",reason="GW_ERR_DEVICE_CERT"}`; nothing is appended to the log.',
        '',
        "**How to solve:** compare the device's certificate fingerprint",
        '(`openssl x509 -in <id>.crt -noout -fingerprint -sha256`) with `nilecare devices list`. Install on',
        'the device the three files `nilecare devices add <id> --cert --out <folder>` wrote for it',
        '(`<id>.key`, `<id>.crt`, `ca.crt`), and leave the MQTT username empty or set it to the device id.',
        'A revoked device, or one whose certificate expired, is registered again under a new id with a',
        'new certificate.',
      ],
    },
    GW_ERR_DEVICE_CERT_ISSUE: {
      status: 400,
      message: 'Device certificate not issued: %s',
      meaning: '`nilecare devices add --cert` could not issue the certificate',
      solve: 'do what the message says: provision first, or choose another `--out` folder',
      readable: '`Device certificate not issued: <reason>`',
      explanation: [
        '`nilecare devices add <id> --cert` did not issue a certificate, and registered nothing: the',
        "gateway is not provisioned (it has no CA yet), `--out` is missing or inside the gateway's data",
        "folder (the device's private key must not stay on the gateway), `--password` was given too (a",
        "certificate device has no password), or the folder already holds that device's key or",
        "certificate (never overwritten) or another gateway's `ca.crt`.",
        '',
        '**How to solve:** run `nilecare provision` first on a new gateway; give `--out` a folder outside',
        'the data folder, ideally on the USB stick that carries the files to the device; use a fresh',
        'folder, or remove files that belong to a device that was never registered.',
      ],
    },
  },
} satisfies ErrorArea;
