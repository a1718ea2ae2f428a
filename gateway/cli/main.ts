import { Command, Option } from 'commander';
import { startCommand } from './startCommand.ts';
import { verifyCommand } from './verifyCommand.ts';
import { replayCommand } from './replayCommand.ts';
import {
  devicesAddCommand,
  devicesBindCommand,
  devicesListCommand,
  devicesRevokeCommand,
} from './devicesCommand.ts';
import { isGatewayError } from '../errors.ts';
import { registerHubCommands } from './hubCommands.ts';
import { registerSyncCommands } from './syncCommands.ts';
import { registerBackupCommands } from './backupCommands.ts';
import { registerProvisionCommand } from './provisionCommand.ts';
import { registerDoctorCommand } from './doctorCommand.ts';
import { registerKeysCommands } from './keysCommand.ts';
import { usersAddCommand, usersListCommand } from './usersCommand.ts';

const program = new Command('nilecare').description('NileCare Edge: the clinic gateway').showHelpAfterError();

const dataDir = () =>
  new Option('--data-dir <path>', 'data folder (database, keys, identity)').env('NILECARE_DATA_DIR');

program
  .command('start')
  .description('start the gateway: device broker (MQTT), HTTP API and nurse UI')
  .addOption(dataDir())
  .addOption(new Option('--http-port <port>', 'HTTP port').env('NILECARE_HTTP_PORT'))
  .addOption(new Option('--mqtt-port <port>', 'MQTT port').env('NILECARE_MQTT_PORT'))
  .addOption(new Option('--host <address>', 'address to listen on for HTTP and MQTT'))
  .addOption(new Option('--simulate', 'run simulated bedside monitors (demo)'))
  .action(startCommand);

program
  .command('verify')
  .description("walk the event log's hash chain and name the first broken or missing link")
  .addOption(dataDir())
  .action(verifyCommand);

program
  .command('replay')
  .description('rebuild every read model from the log; with --as-of, show the state at a past moment')
  .addOption(dataDir())
  .option('--as-of <time>', 'ISO 8601 time: print the state as it was then (nothing is changed)')
  .action(replayCommand);

const devices = program.command('devices').description('register, list, bind and revoke devices');
devices
  .command('add <deviceId>')
  .description('register a device; prints its MQTT password once')
  .addOption(dataDir())
  .option('--password <password>', 'use this password instead of a generated one')
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
  .addOption(dataDir())
  .action(devicesListCommand);
devices
  .command('revoke <deviceId>')
  .description('refuse a device from now on; a running gateway disconnects it within a second')
  .addOption(dataDir())
  .action(devicesRevokeCommand);
devices
  .command('bind <deviceId>')
  .description("bind a device's readings to a patient or a bed (serial ports are bound in the drivers file)")
  .addOption(dataDir())
  .option('--patient <patientId>', 'the patient its readings belong to')
  .option('--bed <bed>', 'the bed it is at')
  .option('--unbind', 'remove the binding')
  .action(devicesBindCommand);

registerSyncCommands(program);
registerHubCommands(program);
registerBackupCommands(program);
registerProvisionCommand(program);
registerDoctorCommand(program);
registerKeysCommands(program);

const users = program
  .command('users')
  .description('add and list the people who sign in (docs/security-access.md)');
users
  .command('add')
  .description('add a user; the password is read from stdin, or asked twice without echo on a terminal')
  .addOption(dataDir())
  .requiredOption('--username <username>', 'sign-in name: 2 to 32 letters, digits, ".", "_" or "-"')
  .requiredOption('--name <displayName>', 'the name events and screens show, e.g. "Amna Osman"')
  .requiredOption('--role <role>', 'nurse, physician, technician or admin')
  .action(usersAddCommand);
users.command('list').description('list users and their roles').addOption(dataDir()).action(usersListCommand);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (isGatewayError(error)) {
    console.error(`${error.code}: ${error.message}\nSee docs/errors.md#${error.code.toLowerCase()}`);
  } else {
    console.error(error);
  }
  process.exitCode = 1;
}
