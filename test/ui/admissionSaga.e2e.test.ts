import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import { draftFor } from '../../gateway/http/draftFor.ts';
import { BED_BOARD_DOC_ID, type BedBoardDoc } from '../../gateway/projections/beds.ts';
import type { PatientDoc } from '../../gateway/projections/patients.ts';
import en from '../../ui/src/i18n/en.json' with { type: 'json' };
import { startCareTeamWebhook } from '../harness/careTeamWebhook.ts';
import { launchChromium, openPage, signInThroughForm } from '../harness/browser.ts';
import { screenshotPath } from '../harness/screenshots.ts';
import { addTestUser, type TestUser } from '../harness/sessions.ts';
import { startTestGateway, type TestGateway } from '../harness/testGateway.ts';

/** The English text with its placeholders filled, as the screen writes it. */
const fill = (template: string, params: Record<string, string>) =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? '');

// A browser and a gateway share two cores with the rest of the suite: give each step room.
describe('admitting through the nurse screen: the saga, its compensation and the bed board', {
  timeout: 90_000,
}, () => {
  let gateway: TestGateway;
  let webhook: Awaited<ReturnType<typeof startCareTeamWebhook>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];
  let nurse: TestUser;
  const patientId = 'p-zainab';

  const sagaEventTypes = (type: string) =>
    [...gateway.services.log.iterate()].filter(
      (event: ClinicalEvent) => event.patientId === patientId && event.eventType === type,
    );
  const patient = () => gateway.services.projections.get<PatientDoc>('patients', patientId);
  const holdOf = (bed: string) =>
    gateway.services.projections
      .get<BedBoardDoc>('beds', BED_BOARD_DOC_ID)
      ?.holds.find((hold) => hold.ward === 'Ward A' && hold.bed === bed);

  beforeAll(async () => {
    // The care team's notification service on the LAN, failing at first.
    webhook = await startCareTeamWebhook({ answer: 500 });
    gateway = await startTestGateway({
      wards: 'Ward A:A1-A4;Ward B:B1-B4',
      careTeamWebhookUrl: webhook.url,
    });
    const at = gateway.services.clock().toISOString();
    const registered = await gateway.services.recorder.record({
      channel: 'internal',
      origin: 'test',
      draft: draftFor(
        gateway.services,
        'patient_registered',
        { firstName: 'Zainab', lastName: 'Osman', sex: 'female', registeredAt: at },
        { patientId, at },
      ),
    });
    expect(registered.status).toBe('appended');
    nurse = await addTestUser(gateway.services, 'nurse', { username: 'huda', displayName: 'Huda Musa' });
    browser = await launchChromium();
    ({ context, page, pageErrors } = await openPage(browser, `http://127.0.0.1:${gateway.httpPort}`));
    await signInThroughForm(page, nurse.username, nurse.password);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await gateway?.stop();
    await webhook?.close();
  });

  it('tells the nurse in plain words that notifying the care team failed and the bed was released', async () => {
    await page.goto(`/patients/${patientId}`);
    const admit = page.locator('#admit-form');
    await admit.locator('[name="bed"]').selectOption('Ward A|A2');
    await admit.getByRole('button', { name: en['encounter.admit'] }).click();
    const status = admit.locator('.status-line');
    await expect.poll(() => status.getAttribute('data-kind')).toBe('error');
    const said = await status.textContent();
    expect(said).toContain(fill(en['admission.failedAt'], { step: en['admission.step.notify_care_team'] }));
    expect(said).toContain(en['admission.undone.close_encounter']);
    expect(said).toContain(fill(en['admission.undone.releaseBedNamed'], { bed: 'A2' }));
    expect(said).toContain(en['admission.notAdmitted']);
    expect(said).toContain('GW_ERR_ADMISSION_FAILED');
    await page.screenshot({ path: screenshotPath('admission-failed.png') });

    // The gateway really asked the care team's service, and the log shows the saga undone.
    expect(webhook.notices).toHaveLength(1);
    const [failed] = sagaEventTypes('admission_saga_failed');
    expect(failed?.data).toMatchObject({
      failedStep: 'notify_care_team',
      compensations: ['close_encounter', 'release_bed'],
    });
    expect(sagaEventTypes('patient_admitted')).toHaveLength(0);
    // The projections agree: the patient is not admitted, the bed holds nobody.
    expect(patient()?.status).toBe('registered');
    expect(holdOf('A2')).toBeUndefined();
    // The chart still offers the admission (the nurse can try again), not a discharge.
    expect(await page.locator('#discharge-form').count()).toBe(0);
  });

  it('shows the released bed free on the ward board, with nobody in it', async () => {
    await page.getByRole('link', { name: en['nav.board'] }).click();
    const card = page.locator('.card[data-bed="A2"]');
    await card.waitFor();
    await expect.poll(() => card.getAttribute('data-state')).toBe('free');
    expect(await card.textContent()).not.toContain('Zainab');
  });

  it("tells the story in the patient's timeline: started, bed reserved and released, failed and undone", async () => {
    await page.goto(`/patients/${patientId}`);
    const entry = (type: string) => page.locator(`#timeline li[data-event-type="${type}"]`);
    await expect.poll(() => entry('admission_saga_failed').count()).toBe(1);
    expect(await entry('admission_saga_failed').textContent()).toContain(en['event.admission_saga_failed']);
    for (const type of ['admission_saga_started', 'bed_reserved', 'encounter_closed', 'bed_released'])
      expect(await entry(type).count(), type).toBe(1);
    expect(await entry('patient_admitted').count()).toBe(0);
  });

  it('admits once the care team answers, and the board shows the bed occupied by the patient', async () => {
    webhook.set({ answer: 200 });
    await page.goto(`/patients/${patientId}`);
    const admit = page.locator('#admit-form');
    // The bed released by the failed attempt is offered again.
    await admit.locator('[name="bed"]').selectOption('Ward A|A2');
    await admit.getByRole('button', { name: en['encounter.admit'] }).click();
    await page.locator('#discharge-form').waitFor();
    expect(await page.locator('.facts').textContent()).toContain('Ward A · Bed A2');
    expect(webhook.notices).toHaveLength(2);
    expect(patient()).toMatchObject({ status: 'admitted', ward: 'Ward A', bed: 'A2' });
    expect(holdOf('A2')).toMatchObject({ state: 'occupied', patientId });
    const [admitted] = sagaEventTypes('patient_admitted');
    expect(admitted).toMatchObject({ userId: nurse.userId, userRole: 'nurse', userName: 'Huda Musa' });

    await page.getByRole('link', { name: en['nav.board'] }).click();
    const card = page.locator('.card[data-bed="A2"]');
    await expect.poll(() => card.getAttribute('data-state')).toBe('occupied');
    expect(await card.locator('.card__name').textContent()).toBe('Zainab Osman');
  });

  it('threw no script errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
