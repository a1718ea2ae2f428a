/**
 * The nurse's part of the soak, once a sample: acknowledge every open alert
 * over the HTTP API, and register and admit one patient (the admission saga,
 * docs/admission-saga.md) to a bed of the soak's ward.
 */
export const soakWard = { name: 'Soak', env: 'Soak:W1-W200', beds: 200 };

export function nurseRounds(baseUrl: string, nurse: { cookie: string }) {
  let acknowledged = 0;
  let admitted = 0;
  const post = (path: string, body: unknown) =>
    fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...nurse },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  return {
    counts: () => ({ acknowledged, admitted }),
    async round(index: number) {
      const open = (await (
        await fetch(`${baseUrl}/api/v1/alerts?status=open`, {
          headers: nurse,
          signal: AbortSignal.timeout(30_000),
        })
      ).json()) as { alerts: { alertId: string }[] };
      for (const alert of open.alerts) {
        const response = await post(`/api/v1/alerts/${encodeURIComponent(alert.alertId)}/acknowledge`, {});
        if (response.ok) acknowledged += 1;
        await response.body?.cancel();
      }
      const patientId = `soak-p-${index}`;
      const registered = await post('/api/v1/patients', {
        patientId,
        firstName: 'Soak',
        lastName: `Patient ${index}`,
        sex: 'female',
      });
      await registered.body?.cancel();
      const admission = await post(`/api/v1/patients/${patientId}/admissions`, {
        ward: soakWard.name,
        bed: `W${(index % soakWard.beds) + 1}`,
      });
      if (admission.ok) admitted += 1;
      await admission.body?.cancel();
    },
  };
}
