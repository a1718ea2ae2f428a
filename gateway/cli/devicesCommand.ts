import { runningGatewayPorts } from '../runtime/portsFile.ts';
import type { Command } from 'commander';
import { hostname } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { loadProvisionedConfig, provisionedPaths } from '../provisioning/gatewayConfig.ts';
import { summarizeCertificate } from '../provisioning/localCertificates.ts';
import type { RegisteredDevice } from '../devices/deviceRegistry.ts';
import { issueDeviceCertificate, removeDeviceCertificateFiles } from '../devices/deviceCertificateFiles.ts';
import { checkDevicePassword, MIN_DEVICE_PASSWORD_LENGTH } from '../devices/deviceSecrets.ts';
import { GatewayError } from '../errors.ts';
import { readNewSecret } from './secretInput.ts';
import { type CommonFlags, dataDirOption, openForCommand, optionsFrom } from './cliOptions.ts';

interface AddFlags extends CommonFlags {
  password?: string;
  /** Read the chosen password from stdin (asked twice without echo on a terminal). */
  passwordStdin?: boolean;
  /** Issue a client certificate from the gateway's CA instead of a password, written to `out`. */
  cert?: boolean;
  out?: string;
  kind?: string;
  patient?: string;
  bed?: string;
}

/** `nilecare devices add <id>`: registers a device and prints its password once. */
export async function devicesAddCommand(deviceId: string, flags: AddFlags): Promise<void> {
  if (flags.cert) return devicesAddWithCertificate(deviceId, flags);
  const chosen = await chosenPassword(flags);
  const services = openForCommand(flags);
  try {
    const { device, password } = await services.registry.add({
      deviceId,
      ...(chosen !== undefined ? { password: chosen } : {}),
      ...(flags.kind ? { kind: flags.kind } : {}),
      ...(flags.patient ? { patientId: flags.patient } : {}),
      ...(flags.bed ? { bed: flags.bed } : {}),
    });
    const topic = `clinic/${services.facility.facilityId}/devices/${device.deviceId}/vitals`;
    console.log(`device ${device.deviceId} registered`);
    console.log(`  MQTT username: ${device.deviceId}`);
    if (chosen === undefined) console.log(`  MQTT password: ${password}   (shown once; stored hashed)`);
    console.log(`  publish vitals to: ${topic}`);
    const uri = deviceConfigurationUri(flags.dataDir, device.deviceId, { password }, topic);
    console.log(`  broker: ${uri.broker}${uri.caSha256 ? `  (CA SHA-256 ${uri.caSha256})` : ''}`);
    console.log('  Scan onto the device (holds its password; do not photograph or keep):');
    console.log(
      await QRCode.toString(uri.text, { type: 'terminal', small: true, errorCorrectionLevel: 'M' }),
    );
  } finally {
    services.db.close();
  }
}

/**
 * The password a technician chose for a device, checked before anything is
 * opened: from stdin with `--password-stdin` (asked twice without echo on a
 * terminal, as `users add` does), or from `--password`, kept for the scripts
 * that use it. None: the registry generates one.
 */
async function chosenPassword(flags: AddFlags): Promise<string | undefined> {
  if (flags.passwordStdin && flags.password !== undefined)
    throw new GatewayError('GW_ERR_OPTION_INVALID', [
      '--password',
      'give the password on stdin (--password-stdin) or on the command line, not both',
      '(hidden)',
    ]);
  const refuse = (why: string) => new GatewayError('GW_ERR_DEVICE_PASSWORD_WEAK', [why]);
  const chosen = flags.passwordStdin
    ? await readNewSecret(`Device password (at least ${MIN_DEVICE_PASSWORD_LENGTH} characters): `, refuse)
    : flags.password;
  if (chosen !== undefined) checkDevicePassword(chosen);
  return chosen;
}

/**
 * `nilecare devices add <id> --cert --out <folder>`: the device's key and a
 * client certificate from the gateway's CA go to the folder (for the device);
 * the registry keeps the certificate's fingerprint and serial only.
 */
async function devicesAddWithCertificate(deviceId: string, flags: AddFlags): Promise<void> {
  if (flags.password !== undefined || flags.passwordStdin)
    throw new GatewayError('GW_ERR_DEVICE_CERT_ISSUE', [
      '--cert and --password exclude each other: a certificate device has no password',
    ]);
  if (!flags.out)
    throw new GatewayError('GW_ERR_DEVICE_CERT_ISSUE', [
      '--cert needs --out <folder>, where the device key, certificate and CA are written (a USB stick)',
    ]);
  const services = openForCommand(flags);
  try {
    services.registry.checkNewId(deviceId);
    const dataDir = optionsFrom(flags.dataDir ? { dataDir: flags.dataDir } : {}).dataDir;
    const issued = issueDeviceCertificate(dataDir, deviceId, flags.out);
    let device: RegisteredDevice;
    try {
      device = services.registry.addWithCertificate({
        deviceId,
        certificate: { fingerprint256: issued.fingerprint256, serialNumber: issued.serialNumber },
        ...(flags.kind ? { kind: flags.kind } : {}),
        ...(flags.patient ? { patientId: flags.patient } : {}),
        ...(flags.bed ? { bed: flags.bed } : {}),
      });
    } catch (error) {
      removeDeviceCertificateFiles(issued);
      throw error;
    }
    const topic = `clinic/${services.facility.facilityId}/devices/${device.deviceId}/vitals`;
    console.log(`device ${device.deviceId} registered with a client certificate (no password)`);
    console.log(`  certificate SHA-256: ${issued.fingerprint256}`);
    console.log(`  serial: ${issued.serialNumber}   valid to: ${issued.validTo.toISOString()}`);
    console.log(`  private key:  ${issued.files.key}`);
    console.log(`  certificate:  ${issued.files.cert}`);
    console.log(`  gateway CA:   ${issued.files.ca}`);
    console.log(
      '  (install these three files on the device, then delete them: the gateway keeps no copy of the key)',
    );
    console.log(`  publish vitals to: ${topic}`);
    const uri = deviceConfigurationUri(
      flags.dataDir,
      device.deviceId,
      { certSha256: issued.fingerprint256.replace(/:/g, '') },
      topic,
    );
    console.log(`  broker: ${uri.broker}${uri.caSha256 ? `  (CA SHA-256 ${uri.caSha256})` : ''}`);
    console.log('  Scan onto the device (no secret in it; the key comes from the files):');
    console.log(
      await QRCode.toString(uri.text, { type: 'terminal', small: true, errorCorrectionLevel: 'M' }),
    );
  } finally {
    services.db.close();
  }
}

export async function devicesListCommand(flags: CommonFlags): Promise<void> {
  const services = openForCommand(flags);
  try {
    for (const device of services.registry.list()) {
      const binding = [device.patientId && `patient ${device.patientId}`, device.bed && `bed ${device.bed}`]
        .filter(Boolean)
        .join(', ');
      const credential = device.certificate ? `certificate ${device.certificate.fingerprint256}` : 'password';
      console.log(
        `${device.deviceId}\t${device.kind}\t${binding || 'unbound'}\t${device.revokedAt ? `revoked ${device.revokedAt}` : 'active'}\t${credential}`,
      );
    }
  } finally {
    services.db.close();
  }
}

/**
 * What a device's configuration screen needs, as one URI for a QR code: the
 * broker (MQTT over TLS with the gateway CA's fingerprint when provisioned),
 * its id and password (or its certificate's fingerprint), its client id and its topic.
 */
function deviceConfigurationUri(
  dataDir: string | undefined,
  deviceId: string,
  credential: { password: string } | { certSha256: string },
  topic: string,
) {
  const options = optionsFrom(dataDir ? { dataDir } : {});
  const provisioned = loadProvisionedConfig(options.dataDir);
  const host = provisioned?.tls.names[0] ?? hostname();
  // A port set for this command wins; else the one the running gateway listens on (its
  // `--mqtt-port` or its service environment may differ from this shell's); else the default.
  const running = runningGatewayPorts(options.dataDir);
  const mqttPort = process.env.NILECARE_MQTT_PORT
    ? options.mqttPort
    : (running?.mqttPort ?? options.mqttPort);
  const mqttsPort = process.env.NILECARE_MQTTS_PORT
    ? options.mqttsPort
    : (running?.mqttsPort ?? options.mqttsPort);
  const broker = provisioned
    ? `mqtts://${host}:${mqttsPort ?? provisioned.tls.mqttsPort}`
    : `mqtt://${host}:${mqttPort}`;
  const caSha256 = provisioned
    ? summarizeCertificate(
        join(provisionedPaths(options.dataDir).dir, provisioned.tls.ca),
      ).fingerprint256.replace(/:/g, '')
    : undefined;
  const query = new URLSearchParams({
    topic,
    // The client id the broker accepts for this device (docs/mqtt.md#client-ids).
    'client-id': deviceId,
    ...(caSha256 ? { 'ca-sha256': caSha256 } : {}),
    ...('certSha256' in credential ? { 'cert-sha256': credential.certSha256 } : {}),
  });
  const url = new URL(broker);
  url.username = deviceId;
  if ('password' in credential) url.password = credential.password;
  return { broker, caSha256, text: `${url.toString().replace(/\/$/, '')}?${query.toString()}` };
}

/** `nilecare devices revoke <id>`: refused from now on; a running gateway disconnects it within a second. */
export async function devicesRevokeCommand(deviceId: string, flags: CommonFlags): Promise<void> {
  const services = openForCommand(flags, true);
  try {
    const device = services.registry.revoke(deviceId);
    console.log(
      `device ${device.deviceId} revoked at ${device.revokedAt}; a running gateway disconnects it within a second`,
    );
  } finally {
    services.db.close();
  }
}

/** `nilecare devices bind <id>`: which patient or bed a device's readings belong to. */
export async function devicesBindCommand(
  deviceId: string,
  flags: CommonFlags & { patient?: string; bed?: string; unbind?: boolean },
): Promise<void> {
  const services = openForCommand(flags, true);
  try {
    const binding = flags.unbind
      ? {}
      : { ...(flags.patient ? { patientId: flags.patient } : {}), ...(flags.bed ? { bed: flags.bed } : {}) };
    services.registry.bind(deviceId, binding);
    const bound = [
      binding.patientId && `patient ${binding.patientId}`,
      binding.bed && `bed ${binding.bed}`,
    ].filter(Boolean);
    console.log(`device ${deviceId} ${bound.length > 0 ? `bound to ${bound.join(', ')}` : 'unbound'}`);
  } finally {
    services.db.close();
  }
}

/** `nilecare devices ...`: register, list, bind and revoke devices. */
export function registerDevicesCommands(program: Command): void {
  const devices = program.command('devices').description('register, list, bind and revoke devices');
  devices
    .command('add <deviceId>')
    .description('register a device; prints its MQTT password once')
    .addOption(dataDirOption())
    .option(
      '--password-stdin',
      `read the device's password from stdin instead of generating one (at least ${MIN_DEVICE_PASSWORD_LENGTH} characters; asked twice without echo on a terminal)`,
    )
    .option(
      '--password <password>',
      'use this password instead of a generated one (kept in shell history: prefer --password-stdin)',
    )
    .option('--kind <kind>', 'device kind', 'vitals-monitor')
    .option('--patient <patientId>', 'bind the device to a patient')
    .option('--bed <bed>', 'bind the device to a bed')
    .option(
      '--cert',
      "issue a client certificate from the gateway's CA instead of a password (provisioned gateway)",
    )
    .option('--out <folder>', 'with --cert: folder for the device key, certificate and CA (files mode 0600)')
    .action(devicesAddCommand);
  devices
    .command('list')
    .description('list registered devices')
    .addOption(dataDirOption())
    .action(devicesListCommand);
  devices
    .command('revoke <deviceId>')
    .description('refuse a device from now on; a running gateway disconnects it within a second')
    .addOption(dataDirOption())
    .action(devicesRevokeCommand);
  devices
    .command('bind <deviceId>')
    .description(
      "bind a device's readings to a patient or a bed (serial ports are bound in the drivers file)",
    )
    .addOption(dataDirOption())
    .option('--patient <patientId>', 'the patient its readings belong to')
    .option('--bed <bed>', 'the bed it is at')
    .option('--unbind', 'remove the binding')
    .action(devicesBindCommand);
}
