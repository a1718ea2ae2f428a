import { execFileSync } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** A self-signed CA in `dir` (ca.crt, ca.key), valid for `days`. */
export function createLocalCa(dir: string, commonName: string, days = 3650): CertificateFiles {
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
