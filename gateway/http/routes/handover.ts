import type { FastifyInstance } from 'fastify';
import { byWardAndBed } from '../../handover/handoverOrder.ts';
import { type PatientSources, patientHandover } from '../../handover/patientHandover.ts';
import { parseShiftChanges, shiftStartOf } from '../../handover/shiftStart.ts';
import type { GatewayServices } from '../../gatewayServices.ts';
import type { DiagnosesDoc } from '../../projections/diagnoses.ts';
import type { EncounterDoc } from '../../projections/encounters.ts';
import type { LabResultsDoc } from '../../projections/labResults.ts';
import type { LatestVitalsDoc } from '../../projections/latestVitals.ts';
import type { MedicationsDoc } from '../../projections/medications.ts';
import { spo2ScaleOfPatient } from '../../projections/news2Scale.ts';
import type { PatientDoc } from '../../projections/patients.ts';
import { createRecentNews2 } from '../../trends/recentNews2.ts';
import type { Handover } from '../apiContract.ts';
import { errorReplies, signedIn } from '../contract/errorReply.ts';
import { type HandoverQuery, handoverQuery, handoverReply } from '../contract/handover.ts';
import { news2Of } from '../vitalsView.ts';
import { SPARKLINE_HOURS } from './news2Trends.ts';

/**
 * The shift handover in one request (docs/ui.md#shift-handover): each admitted
 * patient by ward and bed, read from the read models the chart reads, with
 * what is new since the shift began (the configured shift changes).
 */
export async function handoverRoutes(app: FastifyInstance, services: GatewayServices): Promise<void> {
  const recentNews2 = createRecentNews2(services.db);
  const changes = parseShiftChanges(services.options.shiftChanges);
  const get = services.projections.get.bind(services.projections);
  app.get<{ Querystring: HandoverQuery; Reply: Handover }>(
    '/api/v1/handover',
    {
      config: { permission: 'clinical.read' },
      schema: {
        tags: ['patients'],
        summary:
          'The shift handover: every admitted patient, NEWS2 and its trend, and what is new since the shift began',
        querystring: handoverQuery,
        response: { 200: handoverReply, ...errorReplies(400, ...signedIn) },
      },
    },
    async (request) => {
      const now = services.clock();
      const since = request.query.since
        ? new Date(request.query.since)
        : shiftStartOf(now, changes, services.options.shiftTimezone);
      const shift = { since, now, dueMinutes: services.labOrderViews.catalogue.dueMinutes };
      const patients = services.projections
        .all<PatientDoc>('patients')
        .filter((patient) => patient.status === 'admitted')
        .map((patient) => patientHandover(sourcesOf(patient, now), shift))
        .sort(byWardAndBed(services.admissions.wards));
      return { since: since.toISOString(), generatedAt: now.toISOString(), patients };
    },
  );

  function sourcesOf(patient: PatientDoc, now: Date): PatientSources {
    const { patientId } = patient;
    const encounter = patient.encounterId ? get<EncounterDoc>('encounters', patient.encounterId) : undefined;
    return {
      patient,
      news2: news2Of(get<LatestVitalsDoc>('latestVitals', patientId), spo2ScaleOfPatient(get, patientId)),
      trend: recentNews2(patientId, now, SPARKLINE_HOURS).points,
      alerts: services.alerts.ofPatient(patientId),
      labResults: get<LabResultsDoc>('labResults', patientId)?.results ?? [],
      labOrders: services.labOrderViews.ofPatient(patientId),
      prescriptions: get<MedicationsDoc>('medications', patientId)?.prescriptions ?? [],
      diagnoses: get<DiagnosesDoc>('diagnoses', patientId)?.diagnoses ?? [],
      ...(encounter?.notes ? { encounterNotes: encounter.notes } : {}),
    };
  }
}
