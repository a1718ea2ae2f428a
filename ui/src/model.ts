/** What the gateway's API returns, as the screen uses it (gateway/http/routes/*). */
import type { VitalParameter } from '../../kernel/events/schemas/vitals.ts';

export type { VitalParameter };

export interface Patient {
  patientId: string;
  patientMRN?: string;
  firstName: string;
  lastName: string;
  fatherName?: string;
  grandfatherName?: string;
  sex: string;
  birthDate?: string;
  sudanNationalIdMasked?: string;
  phoneMasked?: string;
  sudanState?: string;
  locality?: string;
  preferredLanguage?: string;
  allergies?: string[];
  registeredAt: string;
  status: 'registered' | 'admitted' | 'discharged';
  encounterId?: string;
  ward?: string;
  bed?: string;
}

export interface VitalReading {
  value: number;
  unit: string;
  measuredAt: string;
  recordedAt: string;
  method: 'device' | 'manual';
  deviceId?: string;
  stale?: boolean;
}

export type VitalParameters = Partial<Record<VitalParameter, VitalReading>>;

export interface Alert {
  alertId: string;
  patientId?: string;
  deviceId?: string;
  bed?: string;
  parameter: string;
  value: number;
  unit?: string;
  threshold: number;
  direction: 'low' | 'high';
  severity: 'critical' | 'warning';
  priority: 'high' | 'medium';
  raisedAt: string;
  status: 'active' | 'acknowledged' | 'resolved';
  acknowledgedAt?: string;
  acknowledgedBy?: { userId: string; userName: string; userRole: string };
  escalationLevel: number;
  resolvedAt?: string;
  resolution?: string;
}

export interface Bed {
  ward: string;
  bed: string;
  state: 'free' | 'reserved' | 'occupied';
  patientId?: string;
  encounterId?: string;
}

export interface Device {
  deviceId: string;
  kind?: string;
  patientId?: string;
  bed?: string;
  connected: boolean;
  lastSeenAt: string | null;
  readings: number;
  disconnectReason: string | null;
}

export interface SyncStatus {
  configured: boolean;
  engine: 'running' | 'stopped' | 'not running';
  connected: boolean;
  lastSuccessfulSendAt: string | null;
  lastError: { code: string; message: string; at: string } | null;
  backlog: number;
  oldestUnsyncedAt: string | null;
  oldestUnsyncedSeconds: number | null;
  estimatedDrainSeconds: number | null;
  deadLetters: { count: number };
}

export interface Health {
  status: string;
  gatewayId: string;
  facilityId: string;
  storage?: {
    state: 'ok' | 'low' | 'critical';
    freeBytes: number;
    lowWaterBytes: number;
    criticalBytes: number;
    refusing: string[];
  };
}

export interface TimelineEvent {
  seq: number;
  eventId: string;
  eventType: string;
  timestamp: string;
  recordedAt: string;
  userName?: string;
  userRole?: string;
  data: Record<string, unknown>;
}

/** A ClinicalEvent as the live stream sends it (gateway/http/routes/stream.ts). */
export interface StreamEvent {
  seq: number;
  eventId: string;
  eventType: string;
  patientId?: string;
  recordedAt: string;
  timestamp: string;
  userId?: string;
  userName?: string;
  userRole?: string;
  data: Record<string, unknown>;
}
