import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

/**
 * deploy/hub/Dockerfile copies kernel/, hub/, cli/ and deploy/kafka/ only: the
 * hub imports nothing of the gateway, sync or drivers. This lays out the same
 * folders (node_modules linked) and runs the `nilecare` entry there.
 */
describe("the hub's image layout (kernel, hub and cli only)", () => {
  const image = mkdtempSync(join(tmpdir(), 'nilecare-hub-image-'));
  for (const folder of ['kernel', 'hub', 'cli', 'deploy/kafka', 'package.json']) {
    cpSync(join(root, folder), join(image, folder), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(image, 'node_modules'));
  afterAll(() => rmSync(image, { recursive: true, force: true }));

  const nilecare = (...args: string[]) =>
    execFileSync(process.execPath, [join(image, 'cli', 'nilecare.js'), ...args], {
      cwd: image,
      encoding: 'utf8',
    });

  it("offers the hub's commands and none of the gateway's", () => {
    const help = nilecare('--help');
    expect(help).toMatch(/^\s+hub\b/m);
    expect(help).not.toMatch(/^\s+(start|verify|devices|provision)\b/m);
  });

  it('loads every hub command group, down to the services it starts', () => {
    expect(nilecare('hub', 'start', '--help')).toContain('--only <service>');
    expect(nilecare('hub', 'topics', 'apply', '--help')).toContain('--profile <profile>');
    expect(nilecare('hub', 'gateways', '--help')).toContain('enrol');
  });
});
