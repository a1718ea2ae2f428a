import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cataloguePublishers,
  loadPublisherPolicy,
  mayPublish,
  parsePublishersFile,
} from '../../../hub/ingestGuard/publisherPolicy.ts';

describe('who may publish each event type', () => {
  it("is the catalogue's publishers when no file is given", () => {
    const policy = cataloguePublishers();
    expect(mayPublish(policy, 'vital_signs_recorded', 'device-integration-service')).toBe(true);
    expect(mayPublish(policy, 'vital_signs_recorded', 'billing-service')).toBe(false);
    expect(mayPublish(policy, 'compliance_violation_detected', 'compliance-service')).toBe(true);
    expect(mayPublish(policy, 'no_such_type', 'gateway-service')).toBe(false);
  });

  it('is replaced per type by a publishers file, leaving the other types as they are', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nilecare-publishers-'));
    const path = join(dir, 'publishers.json');
    writeFileSync(path, JSON.stringify({ publishers: { vital_signs_recorded: ['lab-service'] } }));
    const policy = loadPublisherPolicy(path);
    expect(mayPublish(policy, 'vital_signs_recorded', 'lab-service')).toBe(true);
    expect(mayPublish(policy, 'vital_signs_recorded', 'device-integration-service')).toBe(false);
    expect(mayPublish(policy, 'patient_registered', 'gateway-service')).toBe(true);
  });

  it.each([
    ['not JSON', '{', 'not JSON'],
    ['the wrong shape', '{"vital_signs_recorded": ["x"]}', "must have required property 'publishers'"],
    [
      'a type not in the catalogue',
      '{"publishers": {"vital_sign_recorded": ["x"]}}',
      'not in the event catalogue: vital_sign_recorded',
    ],
  ])('refuses a file with %s, naming it', (_what, text, why) => {
    expect(() => parsePublishersFile(text, '/etc/nilecare/publishers.json')).toThrow(
      expect.objectContaining({ code: 'HUB_ERR_PUBLISHERS_FILE', message: expect.stringContaining(why) }),
    );
  });

  it('refuses a file it cannot read', () => {
    expect(() => loadPublisherPolicy('/nonexistent/publishers.json')).toThrow(
      /HUB|Publishers file \/nonexistent/,
    );
  });
});
