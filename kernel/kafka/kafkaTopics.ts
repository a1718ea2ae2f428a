/**
 * The platform design's Kafka topic table ("Apache Kafka Configuration" > "Topics"):
 * ten topics of 16 partitions each, with the platform design's retention per topic.
 */
export const topicNames = [
  'clinical-events',
  'patient-events',
  'medication-events',
  'lab-events',
  'device-events',
  'appointment-events',
  'billing-events',
  'audit-events',
  'alert-events',
  'sudan-compliance-events',
] as const;

export type TopicName = (typeof topicNames)[number];

export interface TopicSpec {
  name: TopicName;
  partitions: number;
  /** Retention in days (the platform design's table); 7 years is 2,557 days. */
  retentionDays: number;
  /** Producers and consumers as the platform design lists them, for documentation. */
  producers: readonly string[];
  consumers: readonly string[];
}

const DAY = 1;
const SEVEN_YEARS = 7 * 365 + 2; // two leap days in any seven-year span

export const topicTable: readonly TopicSpec[] = [
  {
    name: 'clinical-events',
    partitions: 16,
    retentionDays: 7 * DAY,
    producers: ['EHR', 'CDS', 'Med', 'Lab'],
    consumers: ['All services'],
  },
  {
    name: 'patient-events',
    partitions: 16,
    retentionDays: 30 * DAY,
    producers: ['EHR'],
    consumers: ['CDS', 'FHIR', 'Audit'],
  },
  {
    name: 'medication-events',
    partitions: 16,
    retentionDays: 7 * DAY,
    producers: ['Medication'],
    consumers: ['CDS', 'Notification'],
  },
  {
    name: 'lab-events',
    partitions: 16,
    retentionDays: 7 * DAY,
    producers: ['Lab'],
    consumers: ['EHR', 'CDS', 'Notification'],
  },
  {
    name: 'device-events',
    partitions: 16,
    retentionDays: 7 * DAY,
    producers: ['Device Integration'],
    consumers: ['EHR', 'Alert'],
  },
  {
    name: 'appointment-events',
    partitions: 16,
    retentionDays: 7 * DAY,
    producers: ['Appointment'],
    consumers: ['Notification', 'Billing'],
  },
  {
    name: 'billing-events',
    partitions: 16,
    retentionDays: 30 * DAY,
    producers: ['Billing'],
    consumers: ['Accounting', 'Reporting'],
  },
  {
    name: 'audit-events',
    partitions: 16,
    retentionDays: SEVEN_YEARS,
    producers: ['All services'],
    consumers: ['Audit', 'Compliance'],
  },
  {
    name: 'alert-events',
    partitions: 16,
    retentionDays: 7 * DAY,
    producers: ['All services'],
    consumers: ['Notification'],
  },
  {
    name: 'sudan-compliance-events',
    partitions: 16,
    retentionDays: SEVEN_YEARS,
    producers: ['All services'],
    consumers: ['Compliance', 'MoH'],
  },
];

/**
 * Where the hub sends events it cannot accept (schema, authorisation, chain),
 * with the reason in the record headers. Not in the platform design's table; retention
 * as long as audit-events, because every rejection is evidence.
 */
export const deadLetterTopic = 'dead-letter-events';

/**
 * Where the hub sends what it has for one gateway (CDS findings, thresholds,
 * reference tables), keyed by gatewayId; each gateway reads only its own key's
 * partition (docs/hub.md, "Hub to gateway"). Not in the platform design's table.
 */
export const downstreamTopic = 'gateway-downstream';

/** The consumer group of a gateway's downstream consumer (its Kafka ACLs name it: hub/security/gatewayAcls.ts). */
export function downstreamGroupId(gatewayId: string): string {
  return `nilecare-gateway.${gatewayId}.downstream`;
}
