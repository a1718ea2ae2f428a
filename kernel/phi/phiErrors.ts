import { type CodedError, defineErrors, type ErrorTable } from '../errors/defineErrors.ts';

/**
 * The PHI cipher's one code. It keeps the gateway's prefix because the gateway
 * met it first and people already look it up as GW_ERR_PHI_KEY; the gateway's
 * catalogue includes this table (its area "Starting and running the gateway"
 * in gateway/errors/runningTheGateway.ts), so `isGatewayError` recognises it,
 * and the hub meets it when a sealed national ID cannot be opened.
 */
export const phiErrorCodes = {
  GW_ERR_PHI_KEY: {
    status: 500,
    message: 'PHI key problem: %s',
    meaning: 'the PHI key file or an encrypted field cannot be used',
    solve: 'restore `keys/phi-keys.json` from the provisioning backup',
    readable: '`PHI key problem: <what>`',
    explanation: [
      'National IDs and phone numbers are encrypted with the keys in',
      '`keys/phi-keys.json` (under the data folder). The key file is missing,',
      'unreadable or damaged, it lacks a key that older data was encrypted with, or a',
      'value failed its authenticity check (the data or the key was altered). In the',
      'API, a field that cannot be decrypted shows as `••••(key unavailable)`.',
      '',
      '**How to solve:** restore `keys/phi-keys.json` from the copy kept at provisioning',
      '(owner read-only, mode 0600). After a key rotation, keep the old keys in the file:',
      'they still decrypt older events. If a value fails authentication although the',
      'key file is right, treat it as tampering: stop the gateway, keep a copy of the',
      'data folder and report it.',
    ],
  },
} satisfies ErrorTable;

const phiErrors = defineErrors('GatewayError', phiErrorCodes);
export const PhiKeyError = phiErrors.Error;
export type PhiKeyError = CodedError<keyof typeof phiErrorCodes>;
