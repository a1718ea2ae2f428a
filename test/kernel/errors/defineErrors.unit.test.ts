import { describe, expect, it } from 'vitest';
import { GatewayError, isGatewayError } from '../../../gateway/errors.ts';
import {
  CodedError,
  codedErrorText,
  defineErrors,
  type ErrorSpec,
  fillMessage,
  isCodedError,
  placeholderCount,
} from '../../../kernel/errors/defineErrors.ts';
import { PhiKeyError } from '../../../kernel/phi/phiErrors.ts';

function spec(status: number, message: string): ErrorSpec {
  return { status, message, meaning: 'm', solve: 's', readable: '`r`', explanation: ['**How to solve:** s'] };
}

/** Two small tables that share one code, as the gateway's table shares the PHI cipher's. */
const sharedCodes = { XX_ERR_KEY: spec(500, 'Key problem: %s') };
const clinic = defineErrors('ClinicError', {
  ...sharedCodes,
  XX_ERR_WARD: spec(404, 'Ward "%s" is not at %s'),
  XX_ERR_CLOSED: spec(503, 'The clinic is closed'),
});
const keys = defineErrors('KeyError', sharedCodes);

describe('defineErrors', () => {
  it('builds a class named as asked, whose errors carry the code, the filled message, the status and the details', () => {
    const error = new clinic.Error('XX_ERR_WARD', ['Maternity', 'Juba'], { ward: 'Maternity' });
    expect(clinic.Error.name).toBe('ClinicError');
    expect(error.name).toBe('ClinicError');
    expect(error.code).toBe('XX_ERR_WARD');
    expect(error.message).toBe('Ward "Maternity" is not at Juba');
    expect(error.statusCode).toBe(404);
    expect(error.details).toEqual({ ward: 'Maternity' });
    expect(new clinic.Error('XX_ERR_CLOSED', []).details).toBeUndefined();
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(CodedError);
    expect(error.stack).toContain('ClinicError');
  });

  it('gives a guard that recognises the codes of its table, whichever class raised them', () => {
    expect(clinic.is(new clinic.Error('XX_ERR_CLOSED', []))).toBe(true);
    expect(clinic.is(new keys.Error('XX_ERR_KEY', ['lost']))).toBe(true);
    expect(keys.is(new clinic.Error('XX_ERR_KEY', ['lost']))).toBe(true);
    expect(keys.is(new clinic.Error('XX_ERR_WARD', ['A', 'B']))).toBe(false);
    expect(clinic.is(new Error('XX_ERR_WARD'))).toBe(false);
    expect(clinic.is({ code: 'XX_ERR_WARD', message: 'not an error' })).toBe(false);
    expect(clinic.is(undefined)).toBe(false);
  });

  it('answers instanceof by the table, so a shared code belongs to both classes', () => {
    expect(new keys.Error('XX_ERR_KEY', ['lost'])).toBeInstanceOf(clinic.Error);
    expect(new clinic.Error('XX_ERR_KEY', ['lost'])).toBeInstanceOf(keys.Error);
    expect(new clinic.Error('XX_ERR_WARD', ['A', 'B'])).not.toBeInstanceOf(keys.Error);
    expect(new Error('plain')).not.toBeInstanceOf(clinic.Error);
  });

  it("lets the gateway recognise the PHI cipher's error as its own", () => {
    const error = new PhiKeyError('GW_ERR_PHI_KEY', ['no key k2']);
    expect(error).toBeInstanceOf(GatewayError);
    expect(isGatewayError(error)).toBe(true);
    expect(error.name).toBe('GatewayError');
    expect(error.statusCode).toBe(500);
  });

  it('fills a message without raising it', () => {
    expect(clinic.message('XX_ERR_WARD', ['Paediatrics', 'Wau'])).toBe('Ward "Paediatrics" is not at Wau');
  });
});

describe('fillMessage and placeholderCount', () => {
  it('fill each %s in order, with an empty string when no argument is left', () => {
    expect(fillMessage('%s of %s', ['3', 8])).toBe('3 of 8');
    expect(fillMessage('%s of %s', ['3'])).toBe('3 of ');
    expect(fillMessage('no blanks', ['ignored'])).toBe('no blanks');
  });

  it('count the %s of a template', () => {
    expect(placeholderCount('Bed "%s" of ward "%s" is %s')).toBe(3);
    expect(placeholderCount('The event log is closed')).toBe(0);
  });
});

describe('codedErrorText', () => {
  it('shows the code, the message and the section of docs/errors.md that explains it', () => {
    const error = new clinic.Error('XX_ERR_WARD', ['Maternity', 'Juba']);
    expect(codedErrorText(error)).toBe(
      'XX_ERR_WARD: Ward "Maternity" is not at Juba\nSee docs/errors.md#xx_err_ward',
    );
  });

  it('is for coded errors, which isCodedError tells from others', () => {
    expect(isCodedError(new keys.Error('XX_ERR_KEY', ['lost']))).toBe(true);
    expect(isCodedError(new Error('plain'))).toBe(false);
  });
});
