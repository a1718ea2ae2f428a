import { type CodedError, defineErrors } from '../errors/defineErrors.ts';

/**
 * The PHI cipher's one code. It keeps the gateway's prefix because the gateway
 * met it first and people already look it up as GW_ERR_PHI_KEY; the gateway's
 * catalogue includes this table, so `isGatewayError` recognises it, and the hub
 * meets it when a sealed national ID cannot be opened.
 */
export const phiErrorCodes = {
  GW_ERR_PHI_KEY: { status: 500, message: 'PHI key problem: %s' },
} as const;

const phiErrors = defineErrors('GatewayError', phiErrorCodes);
export const PhiKeyError = phiErrors.Error;
export type PhiKeyError = CodedError<keyof typeof phiErrorCodes>;
