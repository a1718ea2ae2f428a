import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { metricValue } from '../../harness/prometheusText.ts';
import {
  buildInjectedGateway,
  databaseFilesText,
  errorOf,
  type InjectedGateway,
  newPatient,
  registerPatient,
  tableText,
} from '../../harness/injectedGateway.ts';

let gateway: InjectedGateway;
beforeEach(async () => {
  gateway = await buildInjectedGateway();
});
afterEach(async () => {
  await gateway.close();
});

const nationalId = 'SD7391046285';
const phone = '+249912345678';

describe('registering a patient', () => {
  it('answers 201 with the patientId, and lists the patient with national ID and phone masked', async () => {
    const response = await gateway.app.inject({
      headers: gateway.nurseHeaders,
      method: 'POST',
      url: '/api/v1/patients',
      payload: newPatient('p-fatima'),
    });
    expect(response.statusCode).toBe(201);
    const created = response.json();
    expect(created.patientId).toBe('p-fatima');
    expect(created.events.map((event: { eventType: string }) => event.eventType)).toEqual([
      'patient_registered',
    ]);

    const list = await gateway.app.inject({
      headers: gateway.nurseHeaders,
      method: 'GET',
      url: '/api/v1/patients',
    });
    expect(list.statusCode).toBe(200);
    const [patient] = list.json().patients;
    expect(patient).toMatchObject({
      patientId: 'p-fatima',
      firstName: 'Fatima',
      lastName: 'Ahmed',
      status: 'registered',
    });
    expect(patient.sudanNationalIdMasked).toMatch(/^•+6285$/);
    expect(patient.phoneMasked).toMatch(/^•+5678$/);
    expect(patient).not.toHaveProperty('sudanNationalId');
    expect(patient).not.toHaveProperty('phone');
    expect(list.body).not.toContain(nationalId);
    expect(list.body).not.toContain(phone);
  });

  it('stores neither the national ID nor the phone in clear: not in the events, the read models or the database files', async () => {
    await registerPatient(gateway, 'p-fatima', { sudanNationalId: nationalId, phone });
    const events = tableText(gateway.services, 'events');
    expect(events).toContain('patient_registered');
    expect(events).toContain('enc:v1:');
    for (const text of [
      events,
      tableText(gateway.services, 'projection_docs'),
      databaseFilesText(gateway.dataDir),
    ]) {
      expect(text).not.toContain(nationalId);
      expect(text).not.toContain(phone);
      expect(text).not.toContain(phone.slice(1));
    }
  });

  it('makes a patientId when none is given', async () => {
    const { patientId: _omitted, ...body } = newPatient('unused');
    const response = await gateway.app.inject({
      headers: gateway.nurseHeaders,
      method: 'POST',
      url: '/api/v1/patients',
      payload: body,
    });
    expect(response.statusCode).toBe(201);
    const { patientId } = response.json();
    expect(patientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(
      (
        await gateway.app.inject({
          headers: gateway.nurseHeaders,
          method: 'GET',
          url: `/api/v1/patients/${patientId}`,
        })
      ).statusCode,
    ).toBe(200);
  });

  it('refuses a second registration with the same patientId: 409 GW_ERR_PATIENT_EXISTS, nothing appended', async () => {
    await registerPatient(gateway, 'p-fatima');
    const headSeq = gateway.services.log.head.seq;
    const again = await gateway.app.inject({
      headers: gateway.nurseHeaders,
      method: 'POST',
      url: '/api/v1/patients',
      payload: newPatient('p-fatima'),
    });
    expect(again.statusCode).toBe(409);
    expect(errorOf(again)).toMatchObject({ code: 'GW_ERR_PATIENT_EXISTS', statusCode: 409 });
    expect(errorOf(again).message).toContain('p-fatima');
    expect(gateway.services.log.head.seq).toBe(headSeq);
  });
});

describe('an invalid registration body', () => {
  const badBody = {
    ...newPatient('p-bad', { sudanNationalId: 'SD5550001112', phone: '0912345678' }),
    firstName: undefined,
  };

  it('is refused with 400 GW_ERR_REQUEST_INVALID naming each field', async () => {
    const response = await gateway.app.inject({
      headers: gateway.nurseHeaders,
      method: 'POST',
      url: '/api/v1/patients',
      payload: badBody,
    });
    expect(response.statusCode).toBe(400);
    const error = errorOf(response);
    expect(error.code).toBe('GW_ERR_REQUEST_INVALID');
    expect(error.message).toContain('body/firstName');
    expect(error.message).toContain('body/phone');
    expect(error.details?.issues?.map((issue) => issue.field).sort()).toEqual([
      'body/firstName',
      'body/phone',
    ]);
    expect(gateway.services.log.head.seq).toBe(0);
  });

  it('names an unknown field', async () => {
    const response = await gateway.app.inject({
      headers: gateway.nurseHeaders,
      method: 'POST',
      url: '/api/v1/patients',
      payload: { ...newPatient('p-x'), bloodGroup: 'O+' },
    });
    expect(response.statusCode).toBe(400);
    expect(errorOf(response).details?.issues).toEqual([
      expect.objectContaining({ field: 'body/bloodGroup', rule: 'additionalProperties' }),
    ]);
  });

  it('is quarantined with its reason, and the national ID in it is sealed, not stored in clear', async () => {
    const response = await gateway.app.inject({
      headers: gateway.nurseHeaders,
      method: 'POST',
      url: '/api/v1/patients',
      payload: badBody,
    });
    const { quarantineId } = errorOf(response).details!;
    expect(quarantineId).toBeGreaterThan(0);

    const listed = (
      await gateway.app.inject({
        headers: await gateway.signIn('admin'),
        method: 'GET',
        url: '/api/v1/quarantine',
      })
    ).json().quarantined;
    expect(listed).toEqual([
      expect.objectContaining({
        id: quarantineId,
        channel: 'http',
        origin: 'POST /api/v1/patients',
        code: 'GW_ERR_REQUEST_INVALID',
      }),
    ]);
    expect(listed[0].reason).toContain('body/phone');
    expect(listed[0].issues.map((issue: { field: string }) => issue.field)).toContain('body/firstName');
    expect(listed[0].rawSize).toBeGreaterThan(0);
    expect(JSON.stringify(listed)).not.toContain('SD5550001112');

    const quarantine = tableText(gateway.services, 'quarantine');
    expect(quarantine).toContain('enc:v1:');
    expect(quarantine).not.toContain('SD5550001112');
    expect(databaseFilesText(gateway.dataDir)).not.toContain('SD5550001112');
  });

  it('is counted in events_failed_total and dead_letter_queue_size', async () => {
    await gateway.app.inject({
      headers: gateway.nurseHeaders,
      method: 'POST',
      url: '/api/v1/patients',
      payload: badBody,
    });
    const metrics = (
      await gateway.app.inject({ headers: gateway.nurseHeaders, method: 'GET', url: '/metrics' })
    ).body;
    expect(
      metricValue(metrics, 'events_failed_total', { channel: 'http', reason: 'GW_ERR_REQUEST_INVALID' }),
    ).toBe(1);
    expect(metricValue(metrics, 'dead_letter_queue_size')).toBe(1);
  });

  it('that is not JSON at all is quarantined too, its bytes kept sealed', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/api/v1/patients',
      headers: { 'content-type': 'application/json', ...gateway.nurseHeaders },
      payload: '{"firstName": "Fatima", "sudanNationalId": "SD5550001112",',
    });
    expect(response.statusCode).toBe(400);
    expect(errorOf(response).code).toBe('GW_ERR_REQUEST_INVALID');
    const [record] = (
      await gateway.app.inject({
        headers: await gateway.signIn('admin'),
        method: 'GET',
        url: '/api/v1/quarantine',
      })
    ).json().quarantined;
    expect(record).toMatchObject({
      id: errorOf(response).details?.quarantineId,
      origin: 'POST /api/v1/patients',
      rawSize: 58,
    });
    expect(tableText(gateway.services, 'quarantine')).not.toContain('SD5550001112');
  });
});

describe('updating a patient', () => {
  it('appends patient_updated with the changed fields and the chart shows them, the new phone masked', async () => {
    await registerPatient(gateway, 'p-fatima');
    const response = await gateway.app.inject({
      headers: gateway.nurseHeaders,
      method: 'PATCH',
      url: '/api/v1/patients/p-fatima',
      payload: { phone: '+249911112222', locality: 'Bahri' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().events.map((event: { eventType: string }) => event.eventType)).toEqual([
      'patient_updated',
    ]);

    const chart = (
      await gateway.app.inject({
        headers: gateway.nurseHeaders,
        method: 'GET',
        url: '/api/v1/patients/p-fatima',
      })
    ).json();
    expect(chart.patient).toMatchObject({ locality: 'Bahri', firstName: 'Fatima' });
    expect(chart.patient.phoneMasked).toMatch(/^•+2222$/);
    expect(tableText(gateway.services, 'events')).not.toContain('+249911112222');
  });

  it('refuses an unknown patient with 404 GW_ERR_PATIENT_UNKNOWN', async () => {
    const response = await gateway.app.inject({
      headers: gateway.nurseHeaders,
      method: 'PATCH',
      url: '/api/v1/patients/nobody',
      payload: { locality: 'Bahri' },
    });
    expect(response.statusCode).toBe(404);
    expect(errorOf(response).code).toBe('GW_ERR_PATIENT_UNKNOWN');
  });

  it('refuses an empty change with 400', async () => {
    await registerPatient(gateway, 'p-fatima');
    const response = await gateway.app.inject({
      headers: gateway.nurseHeaders,
      method: 'PATCH',
      url: '/api/v1/patients/p-fatima',
      payload: {},
    });
    expect(response.statusCode).toBe(400);
    expect(errorOf(response).code).toBe('GW_ERR_REQUEST_INVALID');
  });
});

describe("a patient's timeline", () => {
  it("lists the patient's own events from the log, newest first, with national ID and phone masked", async () => {
    await registerPatient(gateway, 'p-fatima');
    await registerPatient(gateway, 'p-other', {
      sudanNationalId: 'SD1111222233',
      phone: '+249933334444',
    });
    await gateway.app.inject({
      headers: gateway.nurseHeaders,
      method: 'PATCH',
      url: '/api/v1/patients/p-fatima',
      payload: { phone: '+249911112222' },
    });
    await gateway.app.inject({
      headers: gateway.nurseHeaders,
      method: 'POST',
      url: '/api/v1/patients/p-fatima/admissions',
      payload: { ward: 'Maternity', bed: 'M4' },
    });

    const response = await gateway.app.inject({
      headers: gateway.nurseHeaders,
      method: 'GET',
      url: '/api/v1/patients/p-fatima/timeline',
    });
    expect(response.statusCode).toBe(200);
    const { events, nextBeforeSeq } = response.json();
    expect(events.map((event: { eventType: string }) => event.eventType)).toEqual([
      'admission_saga_completed',
      'patient_admitted',
      'care_team_notified',
      'encounter_created',
      'bed_reserved',
      'admission_saga_started',
      'patient_updated',
      'patient_registered',
    ]);
    expect(events.every((event: { patientId: string }) => event.patientId === 'p-fatima')).toBe(true);
    expect(events[1]).toMatchObject({
      userId: gateway.nurse.userId,
      userName: 'آمنة عثمان',
      userRole: 'nurse',
      data: { ward: 'Maternity', bed: 'M4' },
    });
    expect(events[6].data.changes.phone).toMatch(/^•+2222$/);
    expect(events[7].data.sudanNationalId).toMatch(/^•+6285$/);
    expect(events[7]).not.toHaveProperty('hash');
    expect(response.body).not.toContain('enc:v1:');
    expect(response.body).not.toContain(nationalId);
    expect(nextBeforeSeq).toBeNull();
  });

  it('pages back with beforeSeq', async () => {
    await registerPatient(gateway, 'p-fatima');
    for (const locality of ['Bahri', 'Khartoum', 'Omdurman']) {
      await gateway.app.inject({
        headers: gateway.nurseHeaders,
        method: 'PATCH',
        url: '/api/v1/patients/p-fatima',
        payload: { locality },
      });
    }
    const first = (
      await gateway.app.inject({
        headers: gateway.nurseHeaders,
        method: 'GET',
        url: '/api/v1/patients/p-fatima/timeline?limit=3',
      })
    ).json();
    expect(first.events.map((event: { seq: number }) => event.seq)).toEqual([4, 3, 2]);
    expect(first.nextBeforeSeq).toBe(2);
    const second = (
      await gateway.app.inject({
        headers: gateway.nurseHeaders,
        method: 'GET',
        url: `/api/v1/patients/p-fatima/timeline?limit=3&beforeSeq=${first.nextBeforeSeq}`,
      })
    ).json();
    expect(second.events.map((event: { seq: number }) => event.seq)).toEqual([1]);
    expect(second.nextBeforeSeq).toBeNull();
  });

  it('answers 404 GW_ERR_PATIENT_UNKNOWN for a patient not registered here', async () => {
    const response = await gateway.app.inject({
      headers: gateway.nurseHeaders,
      method: 'GET',
      url: '/api/v1/patients/nobody/timeline',
    });
    expect(response.statusCode).toBe(404);
    expect(errorOf(response).code).toBe('GW_ERR_PATIENT_UNKNOWN');
  });
});
