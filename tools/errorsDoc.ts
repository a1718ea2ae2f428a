/**
 * Writes docs/errors.md from the error tables of the gateway, the sync engine,
 * the hub and `nilecare hub topics`, with the page's hand-written parts
 * (tools/errorsPage.ts): `npm run docs:errors`. The PHI cipher's table is in
 * the gateway's, so its one code is explained once. A unit test
 * (test/kernel/errors/errorCatalogues.unit.test.ts) fails when the file on disk
 * differs from what this renders.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { gatewayErrorAreas } from '../gateway/errors.ts';
import { deviceErrors } from '../gateway/errors/devices.ts';
import { hubErrorArea } from '../hub/errors.ts';
import { topicErrorArea } from '../hub/topicAdmin/topicErrors.ts';
import { renderErrorsDoc } from '../kernel/errors/errorsDoc.ts';
import { syncErrorArea } from '../sync/syncErrors.ts';
import { errorsPageIntro, whatADeviceSees } from './errorsPage.ts';

export const errorsDocPath = new URL('../docs/errors.md', import.meta.url);

/** The gateway's areas, with what a device sees after the Devices area, then sync, the hub and its topics. */
export function errorsDocMarkdown(): string {
  const devices = gatewayErrorAreas.indexOf(deviceErrors) + 1;
  return renderErrorsDoc({
    intro: errorsPageIntro,
    parts: [
      ...gatewayErrorAreas.slice(0, devices),
      whatADeviceSees,
      ...gatewayErrorAreas.slice(devices),
      syncErrorArea,
      hubErrorArea,
      topicErrorArea,
    ],
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(errorsDocPath, errorsDocMarkdown());
}
