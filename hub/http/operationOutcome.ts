import { isHubError } from '../errors.ts';

const issueCodes: Record<number, string> = {
  400: 'invalid',
  401: 'login',
  403: 'forbidden',
  404: 'not-found',
};

/** An error as a FHIR OperationOutcome, with its HTTP status; unknown errors say nothing of their cause. */
export function operationOutcome(error: unknown): { status: number; body: Record<string, unknown> } {
  const status = isHubError(error) ? error.statusCode : 500;
  const code = isHubError(error) ? error.code : 'HUB_ERR_INTERNAL';
  const message = isHubError(error) ? error.message : 'internal error; see the hub log';
  return {
    status,
    body: {
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'error',
          code: issueCodes[status] ?? 'exception',
          details: { coding: [{ system: 'urn:nilecare:error-code', code }], text: message },
          diagnostics: `${code}: ${message}`,
        },
      ],
    },
  };
}
