import { describe, expect, it } from 'vitest';
import { isPublicUrl, permissions, roleMay, roles } from '../../../kernel/roles/permissions.ts';

describe('the role matrix', () => {
  it('gives an admin every permission', () => {
    for (const permission of permissions) expect(roleMay('admin', permission), permission).toBe(true);
  });

  it('gives a physician every right of a nurse, and diagnoses and prescriptions besides', () => {
    for (const permission of permissions)
      if (roleMay('nurse', permission)) expect(roleMay('physician', permission), permission).toBe(true);
    expect(roleMay('nurse', 'diagnoses.write')).toBe(false);
    expect(roleMay('nurse', 'prescriptions.write')).toBe(false);
    expect(roleMay('physician', 'diagnoses.write')).toBe(true);
    expect(roleMay('physician', 'prescriptions.write')).toBe(true);
  });

  it('gives a technician no patient data and no clinical writes', () => {
    for (const permission of [
      'clinical.read',
      'patients.write',
      'vitals.write',
      'alerts.acknowledge',
      'medications.administer',
      'diagnoses.write',
      'prescriptions.write',
      'labOrders.write',
      'nationalId.reveal',
      'users.manage',
    ] as const)
      expect(roleMay('technician', permission), permission).toBe(false);
    for (const permission of ['devices.read', 'devices.manage', 'sync.read', 'quarantine.read'] as const)
      expect(roleMay('technician', permission), permission).toBe(true);
  });

  it('lets only an admin manage users', () => {
    expect(roles.filter((role) => roleMay(role, 'users.manage'))).toEqual(['admin']);
  });

  it('treats only the UI files and the API reference as public by URL', () => {
    expect(isPublicUrl('/ui/*')).toBe(true);
    expect(isPublicUrl('/docs')).toBe(true);
    expect(isPublicUrl('/docs/json')).toBe(true);
    expect(isPublicUrl('/api/v1/patients')).toBe(false);
    expect(isPublicUrl('/uix')).toBe(false);
  });
});
