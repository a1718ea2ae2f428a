import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../ui/src/i18n/en.json' with { type: 'json' };
import { recordAdmittedPatient } from '../harness/admittedPatient.ts';
import { launchChromium, openPage, signInThroughForm } from '../harness/browser.ts';
import { addTestUser, type TestUser } from '../harness/sessions.ts';
import { startTestGateway, type TestGateway } from '../harness/testGateway.ts';

const patientId = 'p-nafisa';

// A browser and a gateway share two cores with the rest of the suite: give each step room.
describe("a physician corrects the chart: the encounter's attending physician and class, a diagnosis's verification and severity", {
  timeout: 90_000,
}, () => {
  let gateway: TestGateway;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[][] = [];
  let physician: TestUser;
  let nurse: TestUser;
  let page: Page;

  const eventsOf = (type: string) =>
    [...gateway.services.log.iterate()].filter(
      (event) => event.patientId === patientId && event.eventType === type,
    );

  async function signedInPage(user: TestUser): Promise<Page> {
    const opened = await openPage(browser, `http://127.0.0.1:${gateway.httpPort}`, { locale: 'en-GB' });
    contexts.push(opened.context);
    pageErrors.push(opened.pageErrors);
    await signInThroughForm(opened.page, user.username, user.password);
    return opened.page;
  }

  beforeAll(async () => {
    gateway = await startTestGateway({ wards: 'Ward A:A1-A4' });
    await recordAdmittedPatient(gateway.services, {
      patientId,
      firstName: 'Nafisa',
      lastName: 'Hamid',
      ward: 'Ward A',
      bed: 'A2',
    });
    physician = await addTestUser(gateway.services, 'physician', {
      username: 'hiba',
      displayName: 'Dr Hiba Osman',
    });
    nurse = await addTestUser(gateway.services, 'nurse', { username: 'hawa', displayName: 'Hawa Adam' });
    browser = await launchChromium();
    page = await signedInPage(physician);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await gateway?.stop();
  });

  it('changes the attending physician and the class of the open encounter, and the chart shows them', async () => {
    await page.goto(`/patients/${patientId}`);
    const form = page.locator('#encounter-update-form');
    await form.locator('[name="attendingPhysician"]').fill('Dr Omer Saeed');
    await form.locator('[name="encounterClass"]').selectOption('emergency');
    await form.getByRole('button', { name: en['encounter.update'] }).click();
    await expect
      .poll(() => page.locator('#encounter [data-attending]').getAttribute('data-attending'))
      .toBe('Dr Omer Saeed');
    expect(await page.locator('#encounter [data-attending]').textContent()).toContain(
      en['encounterClass.emergency'],
    );
    const [updated] = eventsOf('encounter_updated');
    expect(updated).toMatchObject({
      userId: physician.userId,
      data: {
        encounterId: `enc-${patientId}`,
        attendingPhysician: { display: 'Dr Omer Saeed' },
        encounterClass: 'emergency',
      },
    });
  });

  it('marks a diagnosis provisional and severe, with the reason, and the list shows it', async () => {
    await page.goto(`/patients/${patientId}`);
    const add = page.locator('#diagnosis-form');
    await add.locator('[name="icd10Code"]').fill('B50.9');
    await add.locator('[name="description"]').fill('Plasmodium falciparum malaria');
    await add.getByRole('button', { name: en['diagnosis.add'] }).click();
    const entry = page.locator('#diagnoses .record-list li');
    await expect.poll(() => entry.count()).toBe(1);

    await entry.locator('summary', { hasText: en['diagnosis.correct'] }).click();
    const correction = entry.locator('form');
    await correction.locator('[name="verificationStatus"]').selectOption('provisional');
    await correction.locator('[name="severity"]').selectOption('severe');
    await correction.locator('[name="reason"]').fill('Blood film awaited, RDT faint');
    await correction.getByRole('button', { name: en['diagnosis.correct'] }).click();
    await expect
      .poll(() => page.locator('#diagnoses .record-list li .verification').textContent())
      .toContain(en['verification.provisional']);
    expect(await page.locator('#diagnoses .record-list li .verification').textContent()).toContain(
      en['severity.severe'],
    );
    const [updated] = eventsOf('diagnosis_updated');
    expect(updated).toMatchObject({
      userId: physician.userId,
      userRole: 'physician',
      data: {
        verificationStatus: 'provisional',
        severity: 'severe',
        reason: 'Blood film awaited, RDT faint',
      },
    });
  });

  it('shows a nurse the attending physician but no form to change the encounter or a diagnosis', async () => {
    const nursePage = await signedInPage(nurse);
    await nursePage.goto(`/patients/${patientId}`);
    await expect
      .poll(() => nursePage.locator('#encounter [data-attending]').getAttribute('data-attending'))
      .toBe('Dr Omer Saeed');
    expect(await nursePage.locator('#encounter-update-form').count()).toBe(0);
    await expect.poll(() => nursePage.locator('#diagnoses .record-list li').count()).toBe(1);
    expect(await nursePage.locator('#diagnoses details.correction').count()).toBe(0);
  });

  it('raised no script error on any page', () => {
    expect(pageErrors.flat()).toEqual([]);
  });
});
