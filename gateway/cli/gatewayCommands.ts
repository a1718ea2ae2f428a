import type { Command } from 'commander';
import { registerBackupCommands } from './backupCommands.ts';
import { registerDevicesCommands } from './devicesCommand.ts';
import { registerDoctorCommand } from './doctorCommand.ts';
import { registerKeysCommands } from './keysCommand.ts';
import { registerProvisionCommand } from './provisionCommand.ts';
import { registerReplayCommand } from './replayCommand.ts';
import { registerStartCommand } from './startCommand.ts';
import { registerSyncCommands } from './syncCommands.ts';
import { registerUsersCommands } from './usersCommand.ts';
import { registerVerifyCommand } from './verifyCommand.ts';

/** The clinic gateway's commands, in the order `nilecare --help` lists them; each group registers itself. */
export function registerGatewayCommands(program: Command): void {
  for (const register of [
    registerStartCommand,
    registerVerifyCommand,
    registerReplayCommand,
    registerDevicesCommands,
    registerSyncCommands,
    registerBackupCommands,
    registerProvisionCommand,
    registerDoctorCommand,
    registerKeysCommands,
    registerUsersCommands,
  ]) {
    register(program);
  }
}
