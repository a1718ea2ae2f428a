import { decryptField, isEncryptedField, maskIdentifier } from '../../kernel/phi/fieldCipher.ts';
import type { PhiKeyring } from '../../kernel/phi/phiKeyring.ts';
import type { PatientDoc } from '../projections/patients.ts';
import type { Patient } from './apiContract.ts';

/** A patient as the API shows one: the contract's type (contract/patients.ts). */
export type PatientView = Patient;

/** A patient for the API: national ID and phone only ever masked; revealing is its own audited action. */
export function patientView(doc: PatientDoc, keyring: PhiKeyring): PatientView {
  const { sudanNationalId, phone, ...rest } = doc;
  return {
    ...rest,
    ...(sudanNationalId
      ? { sudanNationalIdMasked: maskedPhi(sudanNationalId, 'sudanNationalId', keyring) }
      : {}),
    ...(phone ? { phoneMasked: maskedPhi(phone, 'phone', keyring) } : {}),
  };
}

/** A PHI field (ciphertext as stored, or plaintext) shown as its last four characters. */
export function maskedPhi(value: string, field: string, keyring: PhiKeyring): string {
  try {
    return maskIdentifier(isEncryptedField(value) ? decryptField(value, field, keyring) : value);
  } catch {
    return '••••(key unavailable)';
  }
}
