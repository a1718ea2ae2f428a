import type { DriverSection } from '../driverTypes.ts';
import {
  checkGsmModemSection,
  type GsmModemSection,
  gsmModemDefaults,
  gsmModemSchema,
  gsmSettingsOf,
} from './gsmSettings.ts';
import { startSmsEscalation } from './smsEscalation.ts';

/**
 * The drivers file's `gsmModem` section: one USB GSM modem through which
 * unacknowledged escalations are texted to the on-call numbers (docs/devices.md).
 * One modem per gateway, since the SMS outbox has one worker.
 */
export const gsmModemSection: DriverSection = {
  name: 'gsmModem',
  schema: gsmModemSchema,
  defaults: gsmModemDefaults,
  check: checkGsmModemSection,
  async start(config, context, services) {
    const settings = gsmSettingsOf(config as GsmModemSection, context.clock());
    return startSmsEscalation(settings, services, context.logger.child({ component: 'gsm' }));
  },
};
