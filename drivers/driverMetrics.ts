import { Counter, Gauge, type Registry } from 'prom-client';

/** Metrics of the device drivers, on the gateway's registry. Labels never carry PHI. */
export function createDriverMetrics(registry: Registry) {
  return {
    portsOpen: new Gauge({
      name: 'nilecare_driver_ports_open',
      help: 'Serial ports open and TCP connections from devices, by protocol',
      labelNames: ['protocol'],
      registers: [registry],
    }),
    reopens: new Counter({
      name: 'nilecare_driver_port_reopens_total',
      help: 'Serial ports reopened after they went away (unplugged, adapter reset)',
      labelNames: ['protocol'],
      registers: [registry],
    }),
    frames: new Counter({
      name: 'nilecare_driver_frames_total',
      help: 'ASTM messages and frames, and oximeter lines, by protocol and outcome (accepted, refused)',
      labelNames: ['protocol', 'outcome'],
      registers: [registry],
    }),
    naks: new Counter({
      name: 'nilecare_driver_naks_total',
      help: 'Negative acknowledgements sent to devices (bad checksum, wrong frame number, failed commit)',
      labelNames: ['protocol'],
      registers: [registry],
    }),
    results: new Counter({
      name: 'nilecare_driver_results_total',
      help: 'Lab results and readings recorded from drivers, by protocol and patient match',
      labelNames: ['protocol', 'patient'],
      registers: [registry],
    }),
    labResults: new Counter({
      name: 'nilecare_lab_results_total',
      help: 'Lab results in acknowledged messages, by protocol and what became of each (stored, quarantined, duplicate): they add up to every result received (docs/devices.md#every-result-accounted-for)',
      labelNames: ['protocol', 'outcome'],
      registers: [registry],
    }),
    astmFrameNumberRelaxed: new Counter({
      name: 'nilecare_astm_frame_number_relaxed_total',
      help: 'ASTM frames accepted with a frame number out of sequence (frameNumbers "lenient"), by device',
      labelNames: ['device'],
      registers: [registry],
    }),
    hl7Messages: new Counter({
      name: 'nilecare_hl7_messages_total',
      help: 'HL7 messages received over MLLP, by outcome (accepted, duplicate, rejected, framing_error, error)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    hl7OrdersSent: new Counter({
      name: 'nilecare_hl7_orders_sent_total',
      help: 'Tries to send a lab order to a laboratory system over HL7, by outcome (delivered, refused, unanswered, failed)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    hl7NotRecorded: new Counter({
      name: 'nilecare_hl7_observations_not_recorded_total',
      help: 'OBX not recorded: unmapped MDC code, no result yet, or superseded by a preferred code',
      labelNames: ['why'],
      registers: [registry],
    }),
  };
}

export type DriverMetrics = ReturnType<typeof createDriverMetrics>;
