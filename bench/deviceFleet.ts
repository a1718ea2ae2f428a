/**
 * The devices and the ward board, in their own process (run by childProcess.ts):
 * 50 bedside monitors on real MQTT clients and a listener for what they cause,
 * kept off the event loop of the broker under test.
 */
import { serveParent } from './childProcess.ts';
import { runFlood } from './floodPublishers.ts';
import type { FleetCommand, FleetResult } from './fleetProtocol.ts';
import { runPaced } from './pacedPublishers.ts';

serveParent<FleetCommand>(
  (command, ready): Promise<FleetResult> =>
    command.kind === 'flood' ? runFlood(command, ready) : runPaced(command, ready),
);
