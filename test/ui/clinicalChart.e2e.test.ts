import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftFor } from '../../gateway/http/draftFor.ts';
import ar from '../../ui/src/i18n/ar.json' with { type: 'json' };
import en from '../../ui/src/i18n/en.json' with { type: 'json' };
import { recordAdmittedPatient } from '../harness/admittedPatient.ts';
import { launchChromium, openPage, signInThroughForm } from '../harness/browser.ts';
import { screenshotPath } from '../harness/screenshots.ts';
import { addTestUser, type TestUser } from '../harness/sessions.ts';
import { startTestGateway, type TestGateway } from '../harness/testGateway.ts';

const patientId = 'p-amira';

// A browser and a gateway share two cores with the rest of the suite: give each step room.
describe('the patient chart: diagnoses, prescriptions, doses given and lab results, by role and in Arabic', {
  timeout: 90_000,
}, () => {
  let gateway: TestGateway;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[][] = [];
  let physician: TestUser;
  let nurse: TestUser;
  let doctorPage: Page;
  let nursePage: Page;

  const eventsOf = (type: string) =>
    [...gateway.services.log.iterate()].filter(
      (event) => event.patientId === patientId && event.eventType === type,
    );

  /** A lab result as an analyzer driver records it: source lab-service, through the recorder. */
  const recordLabResult = async (result: {
    resultId: string;
    testCode: string;
    testName: string;
    value: number;
    unit: string;
    referenceRange: { low: number; high: number };
    flags: string[];
  }) => {
    const at = gateway.services.clock().toISOString();
    const draft = draftFor(
      gateway.services,
      'lab_result_available',
      {
        ...result,
        specimen: { specimenId: `TUBE-${result.resultId}`, type: 'serum' },
        resultStatus: 'final',
        observedAt: at,
        reportedAt: at,
      },
      { patientId },
    );
    const outcome = await gateway.services.recorder.record({
      channel: 'internal',
      origin: 'test analyzer',
      draft: { ...draft, source: 'lab-service' },
    });
    expect(outcome.status).toBe('appended');
  };

  async function signedInPage(user: TestUser, locale: string): Promise<Page> {
    const opened = await openPage(browser, `http://127.0.0.1:${gateway.httpPort}`, { locale });
    contexts.push(opened.context);
    pageErrors.push(opened.pageErrors);
    await signInThroughForm(opened.page, user.username, user.password);
    return opened.page;
  }

  beforeAll(async () => {
    gateway = await startTestGateway({ wards: 'Ward A:A1-A4;Ward B:B1-B4' });
    await recordAdmittedPatient(gateway.services, {
      patientId,
      firstName: 'Amira',
      lastName: 'Bashir',
      ward: 'Ward B',
      bed: 'B1',
    });
    physician = await addTestUser(gateway.services, 'physician', {
      username: 'omer',
      displayName: 'Dr Omer Saeed',
    });
    nurse = await addTestUser(gateway.services, 'nurse', { username: 'hawa', displayName: 'Hawa Adam' });
    browser = await launchChromium();
    doctorPage = await signedInPage(physician, 'en-GB');
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await gateway?.stop();
  });

  it('a physician adds a diagnosis with its ICD-10 code and text, and the chart shows it', async () => {
    await doctorPage.goto(`/patients/${patientId}`);
    const form = doctorPage.locator('#diagnosis-form');
    await form.locator('[name="icd10Code"]').fill('b50.9');
    await form.locator('[name="description"]').fill('Plasmodium falciparum malaria');
    await form.getByRole('button', { name: en['diagnosis.add'] }).click();
    const entry = doctorPage.locator('#diagnoses .record-list li');
    await expect.poll(() => entry.count()).toBe(1);
    expect(await entry.locator('.code').textContent()).toBe('B50.9');
    expect(await entry.textContent()).toContain('Plasmodium falciparum malaria');
    expect(await entry.textContent()).toContain('Dr Omer Saeed');
    const [added] = eventsOf('diagnosis_added');
    expect(added).toMatchObject({
      data: { code: 'B50.9', display: 'Plasmodium falciparum malaria' },
      userId: physician.userId,
      userRole: 'physician',
    });
  });

  it('a physician prescribes a medication from the chart, and it is listed with dose, route and frequency', async () => {
    const form = doctorPage.locator('#prescribe-form');
    await form.locator('[name="drugName"]').fill('Artesunate');
    await form.locator('[name="doseValue"]').fill('120');
    await form.locator('[name="doseUnit"]').selectOption('mg');
    await form.locator('[name="route"]').selectOption('intravenous');
    await form.locator('[name="frequency"]').selectOption('q12h');
    await form.getByRole('button', { name: en['medication.prescribe'] }).click();
    const entry = doctorPage.locator('#medications li[data-prescription-id]');
    await expect.poll(() => entry.count()).toBe(1);
    const text = await entry.textContent();
    expect(text).toContain('Artesunate 120 mg');
    expect(text).toContain(en['route.intravenous']);
    expect(text).toContain(en['frequency.q12h']);
    const [prescribed] = eventsOf('medication_prescribed');
    expect(prescribed).toMatchObject({
      data: { drugName: 'Artesunate', dose: { value: 120, unit: 'mg' }, route: 'intravenous' },
      userId: physician.userId,
      userRole: 'physician',
    });
  });

  it('shows a lab result appended by an analyzer, a critical value marked as critical and a low one as low', async () => {
    await recordLabResult({
      resultId: 'res-k-1',
      testCode: 'K',
      testName: 'Potassium',
      value: 2.6,
      unit: 'mmol/L',
      referenceRange: { low: 3.5, high: 5.1 },
      flags: ['LL'],
    });
    await recordLabResult({
      resultId: 'res-hgb-1',
      testCode: 'HGB',
      testName: 'Haemoglobin',
      value: 10.4,
      unit: 'g/dL',
      referenceRange: { low: 12, high: 16 },
      flags: ['L'],
    });
    await doctorPage.reload();
    const potassium = doctorPage.locator('#lab-results li[data-result-id="res-k-1"]');
    await potassium.waitFor();
    expect(await potassium.getAttribute('data-marking')).toBe('critical');
    const said = await potassium.textContent();
    expect(said).toContain('Potassium 2.6 mmol/L');
    expect(said).toContain(`${en['lab.critical']}: ${en['lab.flag.criticalLow']}`);
    expect(said).toContain('3.5–5.1');
    const haemoglobin = doctorPage.locator('#lab-results li[data-result-id="res-hgb-1"]');
    expect(await haemoglobin.getAttribute('data-marking')).toBe('abnormal');
    expect(await haemoglobin.textContent()).toContain(en['lab.flag.low']);
    expect(await haemoglobin.textContent()).not.toContain(en['lab.critical']);
  });

  it('a nurse, in Arabic, is shown no prescription or diagnosis form and told why; the gateway refuses her too', async () => {
    nursePage = await signedInPage(nurse, 'ar-SD');
    await nursePage.goto(`/patients/${patientId}`);
    expect(await nursePage.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await nursePage.locator('html').getAttribute('lang')).toBe('ar');
    await nursePage.locator('#medications li[data-prescription-id]').waitFor();
    expect(await nursePage.locator('#prescribe-form').count()).toBe(0);
    expect(await nursePage.locator('[data-refused="prescribe"]').textContent()).toBe(
      ar['medication.physicianOnly'],
    );
    expect(await nursePage.locator('#diagnosis-form').count()).toBe(0);
    expect(await nursePage.locator('[data-refused="diagnosis"]').textContent()).toBe(
      ar['diagnosis.physicianOnly'],
    );
    // The hidden form is not the only guard: her session asking directly is refused.
    const refused = await nursePage.evaluate(async (id) => {
      const response = await fetch(`/api/v1/patients/${id}/medications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          drugName: 'Ceftriaxone',
          dose: { value: 1, unit: 'g' },
          route: 'intravenous',
          frequency: 'daily',
        }),
      });
      return { status: response.status, body: (await response.json()) as { code: string } };
    }, patientId);
    expect(refused).toMatchObject({ status: 403, body: { code: 'GW_ERR_ROLE_FORBIDDEN' } });
    expect(eventsOf('medication_prescribed')).toHaveLength(1);
  });

  it('a nurse records a dose given, in Arabic, and the log names her', async () => {
    const entry = nursePage.locator('#medications li[data-prescription-id]');
    expect(await entry.locator('.last-given').count()).toBe(0);
    await entry.getByRole('button', { name: ar['medication.give'] }).click();
    const lastGiven = nursePage.locator('#medications li[data-prescription-id] .last-given');
    await lastGiven.waitFor();
    // Arabic words and Eastern Arabic digits, no Western ones.
    const shown = await lastGiven.textContent();
    expect(shown).toContain(ar['medication.lastGiven'].split('{')[0]!.trim());
    expect(shown).toMatch(/[٠-٩]/);
    expect(shown).not.toMatch(/[0-9]/);
    expect(await entry.textContent()).toContain('١٢٠ mg');
    const given = eventsOf('medication_administered');
    expect(given).toHaveLength(1);
    expect(given[0]).toMatchObject({
      data: { drugName: 'Artesunate', status: 'given', doseGiven: { value: 120, unit: 'mg' } },
      userId: nurse.userId,
      userName: 'Hawa Adam',
      userRole: 'nurse',
    });
  });

  it('shows the nurse the lab results in Arabic: the critical potassium marked, in Arabic digits', async () => {
    const potassium = nursePage.locator('#lab-results li[data-result-id="res-k-1"]');
    expect(await potassium.getAttribute('data-marking')).toBe('critical');
    const said = await potassium.textContent();
    expect(said).toContain('٢٫٦ mmol/L');
    expect(said).toContain(`${ar['lab.critical']}: ${ar['lab.flag.criticalLow']}`);
    expect(said).not.toContain('2.6');
    expect(await nursePage.locator('#diagnoses .code').textContent()).toBe('B50.9');
    // The gateway's lab critical-value rule raised an alert: in her alert history, named and to the decimal.
    const alert = nursePage.locator('#alert-history .alert');
    await expect.poll(() => alert.count()).toBe(1);
    const alertText = await alert.textContent();
    expect(alertText).toContain(ar['lab.parameter.potassium']);
    expect(alertText).toContain('٢٫٦');
    await nursePage.locator('#medications').scrollIntoViewIfNeeded();
    await nursePage.screenshot({ path: screenshotPath('chart-ar.png') });
  });

  it('threw no script errors', () => {
    expect(pageErrors.flat()).toEqual([]);
  });
});
