import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage, signInThroughForm } from '../harness/browser.ts';
import { newPatient } from '../harness/injectedGateway.ts';
import { addTestUser, signInOverHttp, type TestUser } from '../harness/sessions.ts';
import { startTestGateway, type TestGateway } from '../harness/testGateway.ts';

/**
 * A page served from another port of the gateway's host (a printer's web
 * page, a tool someone started on the ward PC): same site as the gateway, so
 * Chromium sends the SameSite=Strict session cookie with what it posts there.
 * Its form and its text/plain fetch must change nothing
 * (docs/security-access.md#requests-from-other-sites).
 */
function attackPage(
  gatewayBase: string,
  targets: { formUserId: string; fetchUserId: string; alertId: string },
) {
  const disable = (userId: string) => `${gatewayBase}/api/v1/users/${encodeURIComponent(userId)}/disable`;
  return `<!doctype html><meta charset="utf-8"><title>Printer status</title>
<form id="attack" method="POST" enctype="text/plain" action="${disable(targets.formUserId)}">
  <input type="hidden" name='{"a":"' value='"}'>
</form>
<script>
  window.attack = {
    whoAmI: () => fetch(${JSON.stringify(`${gatewayBase}/api/v1/session`)}, { mode: 'no-cors', credentials: 'include' })
      .then(() => 'sent', (error) => String(error)),
    textPlain: () => fetch(${JSON.stringify(disable(targets.fetchUserId))}, {
      method: 'POST', mode: 'no-cors', credentials: 'include',
      headers: { 'content-type': 'text/plain' }, body: '{}',
    }).then(() => 'sent', (error) => String(error)),
    bodiless: () => fetch(${JSON.stringify(`${gatewayBase}/api/v1/alerts/${targets.alertId}/acknowledge`)}, {
      method: 'POST', mode: 'no-cors', credentials: 'include',
    }).then(() => 'sent', (error) => String(error)),
  };
</script>`;
}

describe('a page on another port of the gateway host, in the browser of a signed-in admin', {
  timeout: 90_000,
}, () => {
  let gateway: TestGateway;
  let browser: Browser;
  let attacker: Server;
  let base: string;
  let admin: { cookie: string };

  beforeAll(async () => {
    gateway = await startTestGateway();
    base = `http://127.0.0.1:${gateway.httpPort}`;
    admin = (await signInOverHttp(gateway, 'admin')).headers;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (attacker ? attacker.close(resolve) : resolve(undefined)));
    await gateway?.stop();
  });

  async function serveAttack(html: string): Promise<string> {
    attacker = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(html);
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;
  }

  async function isEnabled(user: TestUser): Promise<boolean> {
    const { users } = (await (await fetch(`${base}/api/v1/users`, { headers: admin })).json()) as {
      users: { userId: string; disabledAt: string | null }[];
    };
    return users.find((listed) => listed.userId === user.userId)?.disabledAt === null;
  }

  async function activeAlert(): Promise<string> {
    const nurse = (await signInOverHttp(gateway, 'nurse')).headers;
    const post = (path: string, body: unknown) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { ...nurse, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post('/api/v1/patients', newPatient('p-ward'))).status).toBe(201);
    expect((await post('/api/v1/patients/p-ward/vitals', { oxygenSaturation: 84 })).status).toBe(201);
    const { alerts } = (await (await fetch(`${base}/api/v1/alerts`, { headers: nurse })).json()) as {
      alerts: { alertId: string; status: string }[];
    };
    return alerts[0]!.alertId;
  }

  async function alertStatus(alertId: string): Promise<string | undefined> {
    const { alerts } = (await (
      await fetch(`${base}/api/v1/alerts?status=all`, { headers: admin })
    ).json()) as {
      alerts: { alertId: string; status: string }[];
    };
    return alerts.find((alert) => alert.alertId === alertId)?.status;
  }

  it('posts a form and a text/plain and a bodiless fetch with the session cookie: each is refused and nothing changes', async () => {
    const formTarget = await addTestUser(gateway.services, 'nurse');
    const fetchTarget = await addTestUser(gateway.services, 'physician');
    const alertId = await activeAlert();
    const signedIn = await addTestUser(gateway.services, 'admin');
    const { context, page } = await openPage(browser, base);
    await signInThroughForm(page, signedIn.username, signedIn.password);
    const attackUrl = await serveAttack(
      attackPage(base, { formUserId: formTarget.userId, fetchUserId: fetchTarget.userId, alertId }),
    );

    await page.goto(attackUrl);
    /** Runs one of the page's own attacks, as its script would on load. */
    const attack = (name: string) => page.evaluate(`window.attack.${name}()`);
    // The page is same-site, only another origin: Chromium sends the session cookie with what it asks.
    const whoAmI = page.waitForResponse(`${base}/api/v1/session`);
    await attack('whoAmI');
    expect((await whoAmI).status()).toBe(200);

    const fromAttack = (path: string) =>
      page.waitForResponse(
        (response) => response.url() === `${base}${path}` && response.request().method() === 'POST',
      );
    const textPlain = fromAttack(`/api/v1/users/${fetchTarget.userId}/disable`);
    expect(await attack('textPlain')).toBe('sent');
    const textPlainAnswer = await textPlain;
    expect(textPlainAnswer.status()).toBe(403);

    const bodiless = fromAttack(`/api/v1/alerts/${alertId}/acknowledge`);
    await attack('bodiless');
    expect((await bodiless).status()).toBe(403);

    const form = fromAttack(`/api/v1/users/${formTarget.userId}/disable`);
    await page.evaluate("document.getElementById('attack').submit()");
    const formAnswer = await form;
    expect(formAnswer.status()).toBe(403);
    expect(((await formAnswer.json()) as { code: string }).code).toBe('GW_ERR_CROSS_SITE_REFUSED');

    expect(await isEnabled(formTarget)).toBe(true);
    expect(await isEnabled(fetchTarget)).toBe(true);
    expect(await alertStatus(alertId)).toBe('active');

    // The gateway's own screen, in the same browser, still acts: the admin's session was never the problem.
    await page.goto(`${base}/alerts`);
    const own = await page.evaluate(
      async ([url]) =>
        (
          await fetch(url as string, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{}',
          })
        ).status,
      [`/api/v1/alerts/${alertId}/acknowledge`],
    );
    expect(own).toBe(200);
    await context.close();
  });
});
