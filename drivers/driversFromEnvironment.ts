import type { EnvironmentEntries } from './driversFile.ts';
import { gsmModemFromEnvironment } from './gsm/gsmSettings.ts';
import { hl7ListenerFromEnvironment } from './hl7/hl7Settings.ts';

/**
 * The environment shortcuts for a gateway without a drivers file:
 * NILECARE_HL7_PORT adds one `tcpListeners` entry with `protocol: "hl7"`,
 * NILECARE_GSM_MODEM_PATH the `gsmModem` section. They are the same entries
 * the file would hold and go through the same validation (docs/devices.md).
 */
export function driverEntriesFromEnvironment(env: NodeJS.ProcessEnv): EnvironmentEntries {
  const hl7 = hl7ListenerFromEnvironment(env);
  const gsm = gsmModemFromEnvironment(env);
  return {
    variables: [...(hl7 ? ['NILECARE_HL7_PORT'] : []), ...(gsm ? ['NILECARE_GSM_MODEM_PATH'] : [])],
    tcpListeners: hl7 ? [hl7] : [],
    sections: gsm ? { gsmModem: gsm } : {},
  };
}
