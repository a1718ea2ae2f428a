import { execFileSync } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { join } from 'node:path';
import { GatewayError } from '../errors.ts';

/**
 * The gateway's own certificate authority and the certificates it issues
 * (HTTPS and MQTT over TLS; device client certificates), made with the
 * system's `openssl` (Debian's package, present on every install): ECDSA P-256,
 * private keys readable by the owner only. Works offline.
 */
export interface CertificateFiles {
  cert: string;
  key: string;
}

export interface CertificateSummary {
  subject: string;
  fingerprint256: string;
  validTo: Date;
  subjectAltName?: string;
}

function openssl(args: readonly string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: 'pipe' });
  } catch (error) {
    const failed = error as NodeJS.ErrnoException & { stderr?: Buffer };
    if (failed.code === 'ENOENT')
      throw new GatewayError('GW_ERR_PROVISION_INVALID', [
        'openssl is not installed (apt-get install openssl)',
      ]);
    throw new GatewayError('GW_ERR_PROVISION_INVALID', [
      `openssl ${args[0]} failed: ${failed.stderr?.toString('utf8').trim() ?? failed.message}`,
    ]);
  }
}

const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
const serial = () => `0x${randomBytes(16).toString('hex')}`;

/**
 * Devices' client certificates name the device under this suffix
 * (`<deviceId>.devices.nilecare.invalid`, subjectAltName): `.invalid` never
 * resolves (RFC 6761 6.4), so the CA may issue it without vouching for any
 * real host.
 */
export const deviceNameSuffix = 'devices.nilecare.invalid';
export const deviceCertificateName = (deviceId: string) => `${deviceId.toLowerCase()}.${deviceNameSuffix}`;

/** What the gateway's CA may vouch for: the gateway's own names and addresses. */
export interface CaScope {
  dnsNames: readonly string[];
  ipAddresses: readonly string[];
}

/**
 * The CA's X.509 name constraints (RFC 5280 4.2.1.10), critical: browsers
 * are told to trust this CA, so it may sign only for the gateway itself
 * (its DNS names and addresses) and for its devices. A certificate for any
 * other name it signed, should its key leak, fails verification. With no
 * address given, every address is excluded.
 */
export function caNameConstraints(scope: CaScope): string {
  const ipOf = (address: string) =>
    isIPv6(address)
      ? `IP:${address}/ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff`
      : `IP:${address}/255.255.255.255`;
  const permitted = [
    ...scope.dnsNames.map((name) => `DNS:${name}`),
    `DNS:${deviceNameSuffix}`,
    ...scope.ipAddresses.map(ipOf),
  ].map((subtree) => `permitted;${subtree}`);
  const excluded = scope.ipAddresses.length === 0 ? ['excluded;IP:0.0.0.0/0.0.0.0', 'excluded;IP:::/::'] : [];
  return `nameConstraints=critical,${[...permitted, ...excluded].join(',')}`;
}

/** A self-signed CA in `dir` (ca.crt, ca.key), valid for `days`, that may sign only for `scope`. */
export function createLocalCa(
  dir: string,
  commonName: string,
  scope: CaScope,
  days = 3650,
): CertificateFiles {
  const files = { cert: join(dir, 'ca.crt'), key: join(dir, 'ca.key') };
  openssl(
    [
      'req',
      '-x509',
      ...ecKey,
      '-keyout',
      files.key,
      '-out',
      files.cert,
      '-days',
      String(days),
      '-subj',
      `/O=NileCare Edge/CN=${commonName}`,
      '-set_serial',
      serial(),
      '-addext',
      'basicConstraints=critical,CA:TRUE,pathlen:0',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-addext',
      caNameConstraints(scope),
    ],
    dir,
  );
  chmodSync(files.key, 0o600);
  return files;
}

/**
 * A certificate signed by the local CA: `server` for the gateway's HTTPS and
 * MQTT listeners (names and addresses in subjectAltName), `client` for a device.
 */
export function issueCertificate(
  dir: string,
  name: string,
  ca: CertificateFiles,
  options: {
    commonName: string;
    use: 'server' | 'client';
    dnsNames?: string[];
    ipAddresses?: string[];
    days?: number;
  },
): CertificateFiles {
  const files = { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  const request = join(dir, `${name}.csr`);
  const extensions = join(dir, `${name}.ext`);
  const altNames = [
    ...(options.dnsNames ?? []).map((dns) => `DNS:${dns}`),
    ...(options.ipAddresses ?? []).map((ip) => `IP:${ip}`),
  ];
  writeFileSync(
    extensions,
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      `extendedKeyUsage=${options.use === 'server' ? 'serverAuth' : 'clientAuth'}`,
      ...(altNames.length > 0 ? [`subjectAltName=${altNames.join(',')}`] : []),
      '',
    ].join('\n'),
  );
  try {
    openssl(
      [
        'req',
        ...ecKey,
        '-keyout',
        files.key,
        '-out',
        request,
        '-subj',
        `/O=NileCare Edge/CN=${options.commonName}`,
      ],
      dir,
    );
    chmodSync(files.key, 0o600);
    openssl(
      [
        'x509',
        '-req',
        '-in',
        request,
        '-CA',
        ca.cert,
        '-CAkey',
        ca.key,
        '-set_serial',
        serial(),
        '-days',
        String(options.days ?? 825),
        '-sha256',
        '-extfile',
        extensions,
        '-out',
        files.cert,
      ],
      dir,
    );
  } finally {
    rmSync(request, { force: true });
    rmSync(extensions, { force: true });
  }
  return files;
}

/** Subject, SHA-256 fingerprint and expiry of a PEM certificate. */
export function summarizeCertificate(certFile: string): CertificateSummary {
  const certificate = new X509Certificate(readFileSync(certFile));
  return {
    subject: certificate.subject.replace(/\n/g, ', '),
    fingerprint256: certificate.fingerprint256,
    validTo: new Date(certificate.validTo),
    ...(certificate.subjectAltName ? { subjectAltName: certificate.subjectAltName } : {}),
  };
}
