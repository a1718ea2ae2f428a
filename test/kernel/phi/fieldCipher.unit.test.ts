import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../gateway/errors.ts';
import { validateDraft } from '../../../kernel/events/validateEvent.ts';
import {
  decryptField,
  encryptField,
  encryptPhiFields,
  isEncryptedField,
  maskIdentifier,
} from '../../../kernel/phi/fieldCipher.ts';
import { type PhiKeyring, testKeyring } from '../../../kernel/phi/phiKeyring.ts';
import { eventBuilder } from '../../harness/handBuiltEvents.ts';

const keyring = testKeyring('k2025a');
const nationalId = 'ABC123456789';

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return error instanceof GatewayError ? error.code : `not a GatewayError: ${String(error)}`;
  }
  return undefined;
}

describe('a PHI field encrypted with AES-256-GCM', () => {
  it('decrypts back to the plaintext, Arabic included', () => {
    for (const plaintext of [nationalId, '+249912345678', 'أمنة عثمان']) {
      const sealed = encryptField(plaintext, 'sudanNationalId', keyring);
      expect(decryptField(sealed, 'sudanNationalId', keyring)).toBe(plaintext);
    }
  });

  it('carries its key id and never the plaintext', () => {
    const sealed = encryptField(nationalId, 'sudanNationalId', keyring);
    expect(sealed.startsWith('enc:v1:k2025a:')).toBe(true);
    expect(sealed).not.toContain(nationalId);
    expect(isEncryptedField(sealed)).toBe(true);
    expect(isEncryptedField(nationalId)).toBe(false);
  });

  it('differs each time the same value is encrypted (random IV)', () => {
    expect(encryptField(nationalId, 'sudanNationalId', keyring)).not.toBe(
      encryptField(nationalId, 'sudanNationalId', keyring),
    );
  });

  it('is bound to its field name: it does not decrypt as another field', () => {
    const sealed = encryptField(nationalId, 'sudanNationalId', keyring);
    expect(codeOf(() => decryptField(sealed, 'phone', keyring))).toBe('GW_ERR_PHI_KEY');
  });

  it('fails authentication when one character of the ciphertext is changed', () => {
    const sealed = encryptField(nationalId, 'sudanNationalId', keyring);
    const last = sealed.at(-5)!;
    const tampered = `${sealed.slice(0, -5)}${last === 'A' ? 'B' : 'A'}${sealed.slice(-4)}`;
    expect(tampered).not.toBe(sealed);
    expect(() => decryptField(tampered, 'sudanNationalId', keyring)).toThrow(/failed authentication/);
  });

  it('fails authentication under a different key with the same id', () => {
    const sealed = encryptField(nationalId, 'sudanNationalId', keyring);
    const impostor: PhiKeyring = { activeKeyId: 'k2025a', keys: new Map([['k2025a', Buffer.alloc(32, 9)]]) };
    expect(codeOf(() => decryptField(sealed, 'sudanNationalId', impostor))).toBe('GW_ERR_PHI_KEY');
  });

  it('fails with GW_ERR_PHI_KEY naming the key when its key id is not in the keyring', () => {
    const sealed = encryptField(nationalId, 'sudanNationalId', keyring);
    const other = testKeyring('k2026b');
    expect(codeOf(() => decryptField(sealed, 'sudanNationalId', other))).toBe('GW_ERR_PHI_KEY');
    expect(() => decryptField(sealed, 'sudanNationalId', other)).toThrow(/k2025a/);
  });

  it('still decrypts after rotation, while new values use the new active key', () => {
    const sealed = encryptField(nationalId, 'sudanNationalId', keyring);
    const rotated: PhiKeyring = {
      activeKeyId: 'k2026b',
      keys: new Map([...keyring.keys, ['k2026b', Buffer.alloc(32, 3)]]),
    };
    expect(decryptField(sealed, 'sudanNationalId', rotated)).toBe(nationalId);
    expect(encryptField(nationalId, 'sudanNationalId', rotated).startsWith('enc:v1:k2026b:')).toBe(true);
  });

  it('refuses a value that is not an encrypted field', () => {
    expect(codeOf(() => decryptField(nationalId, 'sudanNationalId', keyring))).toBe('GW_ERR_PHI_KEY');
  });
});

describe('encryptPhiFields', () => {
  const registration = {
    firstName: 'Amna',
    lastName: 'Osman',
    sex: 'female',
    sudanNationalId: nationalId,
    phone: '+249912345678',
    registeredAt: '2025-03-14T08:00:00.000Z',
  };

  it('encrypts only the listed fields and leaves the rest as they were', () => {
    const sealed = encryptPhiFields(registration, ['sudanNationalId', 'phone'], keyring);
    expect(isEncryptedField(sealed.sudanNationalId)).toBe(true);
    expect(isEncryptedField(sealed.phone)).toBe(true);
    expect(decryptField(sealed.phone, 'phone', keyring)).toBe('+249912345678');
    const { sudanNationalId: _n, phone: _p, ...rest } = sealed;
    const { sudanNationalId: _n2, phone: _p2, ...plainRest } = registration;
    expect(rest).toEqual(plainRest);
    expect(registration.sudanNationalId).toBe(nationalId);
  });

  it('encrypts the listed fields inside data.changes of an update', () => {
    const update = {
      changes: { phone: '+249912345679', locality: 'Omdurman' },
      updatedAt: '2025-03-14T09:00:00.000Z',
    };
    const sealed = encryptPhiFields(update, ['sudanNationalId', 'phone'], keyring);
    expect(isEncryptedField(sealed.changes.phone)).toBe(true);
    expect(sealed.changes.locality).toBe('Omdurman');
    expect(sealed.updatedAt).toBe(update.updatedAt);
  });

  it('does not encrypt a value twice', () => {
    const once = encryptPhiFields(registration, ['phone'], keyring);
    expect(encryptPhiFields(once, ['phone'], keyring).phone).toBe(once.phone);
  });

  it('produces values the event catalogue accepts as encrypted PHI', () => {
    const build = eventBuilder();
    const data = encryptPhiFields(registration, ['sudanNationalId', 'phone'], keyring);
    const event = build.event('patient_registered', data, { patientId: 'patient-1' });
    expect(validateDraft(event).ok).toBe(true);
  });
});

describe('maskIdentifier', () => {
  it('shows only the last four characters', () => {
    expect(maskIdentifier(nationalId)).toBe('••••••••6789');
  });
});
