import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordAdmittedPatient } from '../../harness/admittedPatient.ts';
import {
  buildInjectedGateway,
  type InjectedGateway,
  registerPatient,
} from '../../harness/injectedGateway.ts';
import { recordMonitorReading } from '../../harness/monitorReading.ts';

let gateway: InjectedGateway;
beforeEach(async () => {
  gateway = await buildInjectedGateway();
});
afterEach(async () => {
  await gateway.close();
});

const trends = () =>
  gateway.app.inject({ method: 'GET', url: '/api/v1/news2/trends', headers: gateway.nurseHeaders });

describe("the board's NEWS2 sparklines", () => {
  it("answers every admitted patient's hourly worst NEWS2 of the last 12 hours in one reply", async () => {
    await recordAdmittedPatient(gateway.services, {
      patientId: 'p-amna',
      firstName: 'Amna',
      lastName: 'Osman',
      ward: 'Ward A',
      bed: 'A1',
    });
    await registerPatient(gateway, 'p-walk-in');
    // 08:00: normal; 08:05 SpO2 falls to 90 % (scores 3) for the rest of the quarter; 08:20 back to 97 %.
    await recordMonitorReading(gateway.services, 'p-amna', {
      oxygenSaturation: 97,
      heartRate: 80,
      respiratoryRate: 16,
    });
    gateway.clock.advanceSeconds(5 * 60);
    await recordMonitorReading(gateway.services, 'p-amna', { oxygenSaturation: 90 });
    gateway.clock.advanceSeconds(5 * 60);
    // The nurse looks in between: the session is not left idle (docs/security-access.md#sessions).
    expect((await trends()).statusCode).toBe(200);
    gateway.clock.advanceSeconds(10 * 60);
    await recordMonitorReading(gateway.services, 'p-amna', { oxygenSaturation: 97 });
    const response = await trends();
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ from: '2026-11-25T21:00:00.000Z', to: '2026-11-26T09:00:00.000Z' });
    // Only the admitted patient; the quarter hour with the fall gives the hour its worst, though it ended normal.
    expect(body.patients).toEqual([
      { patientId: 'p-amna', points: [{ t: '2026-11-26T08:00:00.000Z', total: 3, band: 'lowMedium' }] },
    ]);
  });
});
