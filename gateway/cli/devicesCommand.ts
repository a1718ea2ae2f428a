import { type CommonFlags, openForCommand } from './cliOptions.ts';

interface AddFlags extends CommonFlags {
  password?: string;
  kind?: string;
  patient?: string;
  bed?: string;
}

/** `nilecare devices add <id>`: registers a device and prints its password once. */
export async function devicesAddCommand(deviceId: string, flags: AddFlags): Promise<void> {
  const services = openForCommand(flags);
  try {
    const { device, password } = await services.registry.add({
      deviceId,
      ...(flags.password ? { password: flags.password } : {}),
      ...(flags.kind ? { kind: flags.kind } : {}),
      ...(flags.patient ? { patientId: flags.patient } : {}),
      ...(flags.bed ? { bed: flags.bed } : {}),
    });
    const topic = `clinic/${services.facility.facilityId}/devices/${device.deviceId}/vitals`;
    console.log(`device ${device.deviceId} registered`);
    console.log(`  MQTT username: ${device.deviceId}`);
    if (!flags.password) console.log(`  MQTT password: ${password}   (shown once; stored hashed)`);
    console.log(`  publish vitals to: ${topic}`);
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
      console.log(
        `${device.deviceId}\t${device.kind}\t${binding || 'unbound'}\t${device.revokedAt ? `revoked ${device.revokedAt}` : 'active'}`,
      );
    }
  } finally {
    services.db.close();
  }
}
