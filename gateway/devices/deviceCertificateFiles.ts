import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { GatewayError } from '../errors.ts';
import { loadProvisionedConfig, provisionedPaths } from '../provisioning/gatewayConfig.ts';
import { deviceCertificateName, issueCertificate } from '../provisioning/localCertificates.ts';
import type { DeviceCertificate } from './deviceRegistry.ts';

/** 825 days: the longest a CA/Browser-Forum-minded client accepts, and a little over two years of service. */
export const deviceCertificateDays = 825;

export interface IssuedDeviceCertificate extends DeviceCertificate {
  /** The device's private key, its certificate and the gateway's CA, all PEM, mode 0600. */
  files: { key: string; cert: string; ca: string };
  validTo: Date;
}

/**
 * Makes a device's key pair and a client certificate for it (CN = device id,
 * extended key usage clientAuth) signed by the provisioned gateway's local CA,
 * and writes key, certificate and CA to `outDir`, a folder the technician
 * carries to the device (a USB stick). The gateway keeps none of it: the
 * registry stores only the certificate's fingerprint and serial, so the key
 * must not be written inside the data folder. Existing files are never
 * overwritten (another device's key, or another gateway's CA).
 */
export function issueDeviceCertificate(
  dataDir: string,
  deviceId: string,
  outDir: string,
): IssuedDeviceCertificate {
  const provisioned = loadProvisionedConfig(dataDir);
  if (!provisioned)
    throw new GatewayError('GW_ERR_DEVICE_CERT_ISSUE', [
      'this gateway is not provisioned (no local CA): run nilecare provision first',
    ]);
  const out = resolve(outDir);
  const inside = relative(resolve(dataDir), out);
  const outside = inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside);
  if (!outside)
    throw new GatewayError('GW_ERR_DEVICE_CERT_ISSUE', [
      `--out ${outDir} is inside the gateway's data folder; the device's private key must not stay on the gateway: choose a folder outside it (a USB stick)`,
    ]);
  const provisionedDir = provisionedPaths(dataDir).dir;
  const caCert = join(provisionedDir, provisioned.tls.ca);
  const caPem = readFileSync(caCert);
  const files = {
    key: join(out, `${deviceId}.key`),
    cert: join(out, `${deviceId}.crt`),
    ca: join(out, 'ca.crt'),
  };
  for (const file of [files.key, files.cert])
    if (existsSync(file))
      throw new GatewayError('GW_ERR_DEVICE_CERT_ISSUE', [`${file} already exists; it is never overwritten`]);
  if (existsSync(files.ca) && !readFileSync(files.ca).equals(caPem))
    throw new GatewayError('GW_ERR_DEVICE_CERT_ISSUE', [
      `${files.ca} holds another CA (of another gateway?); choose another --out folder`,
    ]);

  mkdirSync(out, { recursive: true, mode: 0o700 });
  try {
    issueCertificate(
      out,
      deviceId,
      { cert: caCert, key: join(provisionedDir, provisioned.tls.caKey) },
      {
        commonName: deviceId,
        use: 'client',
        // Inside the CA's name constraints, so a device id with a dot is not read as a host name.
        dnsNames: [deviceCertificateName(deviceId)],
        days: deviceCertificateDays,
      },
    );
    chmodSync(files.cert, 0o600);
    writeFileSync(files.ca, caPem, { mode: 0o600 });
    chmodSync(files.ca, 0o600);
  } catch (error) {
    rmSync(files.key, { force: true });
    rmSync(files.cert, { force: true });
    throw error;
  }
  const certificate = new X509Certificate(readFileSync(files.cert));
  return {
    files,
    fingerprint256: certificate.fingerprint256,
    serialNumber: certificate.serialNumber,
    validTo: new Date(certificate.validTo),
  };
}

/** Removes what issueDeviceCertificate wrote for a device whose registration then failed (the CA file stays: it is shared). */
export function removeDeviceCertificateFiles(issued: IssuedDeviceCertificate): void {
  rmSync(issued.files.key, { force: true });
  rmSync(issued.files.cert, { force: true });
}
