import type { TopicName } from '../kafka/kafkaTopics.ts';

/**
 * Sync priority lane (docs/architecture.md#guarantee-5): alerts and critical values go
 * first, then clinical events, then telemetry and audit.
 */
export type SyncLane = 'alert' | 'clinical' | 'telemetry' | 'audit';

/**
 * Whom an event is about. `patient`: patientId is required and is the Kafka key.
 * `patientOrFacility`: patientId when known (a device reading from an unbound
 * device has none), else the facility is the key. `facility`: never a patient.
 */
export type EventSubject = 'patient' | 'patientOrFacility' | 'facility';

/** A JSON Schema object (draft 2020-12 subset that ajv compiles). */
export type DataSchema = Readonly<Record<string, unknown>>;

/** One entry of the event catalogue. */
export interface EventTypeSpec {
  eventType: string;
  /** Current version of the `data` schema, "major.minor". */
  version: string;
  /**
   * Earlier major versions still accepted: only where every event of that major is valid
   * under the current schema (the schema widened), so gateways and the hub can be upgraded
   * one at a time without refusing what an older gateway still sends.
   */
  acceptsMajors?: readonly string[];
  /** Kafka topic (the platform design's topic table). */
  topic: TopicName;
  lane: SyncLane;
  subject: EventSubject;
  /** One line for docs: what fact this records. */
  description: string;
  /** JSON Schema of `data` at `version`. */
  dataSchema: DataSchema;
  /**
   * Sources allowed to publish this type (the platform design, "Event Authorization",
   * `authorizedPublishers`); the hub dead-letters the rest.
   */
  publishers: readonly string[];
  /** Fields of `data` that hold PHI encrypted field by field (guarantee 8). */
  encryptedFields?: readonly string[];
  /** The envelope must name the acting user (userId, userName, userRole): an action by a person. */
  actorRequired?: boolean;
}

/** Names of the publishing sources used by the gateway itself. */
export const gatewaySources = {
  /** Readings from devices (MQTT, serial, HL7) and the critical values found in them. */
  deviceIngest: 'device-integration-service',
  /** What people do through the gateway's API (register, admit, acknowledge ...). */
  clinicalApi: 'gateway-service',
  /** Lab analyzer results. */
  labDriver: 'lab-service',
} as const;
