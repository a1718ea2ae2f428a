import { describe, expect, it } from 'vitest';
import { optionsFromEnvironment, resolveGatewayOptions } from '../../../gateway/config/gatewayOptions.ts';
import { defaultWardsSpec, parseWards, wardNamed } from '../../../gateway/config/wards.ts';
import { GatewayError } from '../../../gateway/errors.ts';

function refusal(spec: string): GatewayError {
  try {
    parseWards(spec);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(spec)} to be refused`);
}

describe('NILECARE_WARDS', () => {
  it('expands ranges with and without a prefix, and lists, in the order written', () => {
    expect(parseWards('Ward A:1-3;Maternity:M1-M2, M7 ;Isolation:ISO-1')).toEqual([
      { name: 'Ward A', beds: ['1', '2', '3'] },
      { name: 'Maternity', beds: ['M1', 'M2', 'M7'] },
      { name: 'Isolation', beds: ['ISO-1'] },
    ]);
  });

  it('keeps zero padding as written', () => {
    expect(parseWards('Paediatrics:P08-P10')[0]!.beds).toEqual(['P08', 'P09', 'P10']);
  });

  it('has a default that holds the simulated demo ward (Ward A, beds A1-A4)', () => {
    const wardA = wardNamed(parseWards(defaultWardsSpec), 'Ward A');
    expect(wardA.beds).toEqual(expect.arrayContaining(['A1', 'A2', 'A3', 'A4']));
    expect(resolveGatewayOptions().wards).toBe(defaultWardsSpec);
  });

  it.each([
    ['', 'needs at least one ward'],
    ['Ward A', 'has no ":"'],
    ['Ward A:', 'has no beds'],
    ['Ward A:A1-A4;Ward A:B1', 'named twice'],
    ['Ward A:A1,A1', 'listed twice'],
    ['Ward A:A4-A1', 'runs backwards'],
    ['Ward A:A1-B4', 'one prefix on both ends'],
    ['Ward A:A1-A9999', 'more than 500 beds'],
    ['Ward A:bed one', 'must be 1-32 letters'],
    [':A1', 'ward name ""'],
  ])('refuses %j with GW_ERR_OPTION_INVALID saying "%s"', (spec, why) => {
    const error = refusal(spec);
    expect(error.code).toBe('GW_ERR_OPTION_INVALID');
    expect(error.message).toContain('NILECARE_WARDS');
    expect(error.message).toContain(why);
  });

  it('is checked when the options are resolved, so a typo stops the gateway at start', () => {
    expect(() => resolveGatewayOptions({ wards: 'Ward A:A4-A1' })).toThrow(/runs backwards/);
  });

  it('names the configured wards when asked for one it does not have', () => {
    expect(() => wardNamed(parseWards(defaultWardsSpec), 'Surgical')).toThrow(
      'Ward "Surgical" is not configured at this gateway (wards: Ward A, Maternity)',
    );
  });
});

describe('the admission options from the environment', () => {
  it('reads the wards, the care-team webhook, its timeout and the bed hold', () => {
    const options = resolveGatewayOptions(
      optionsFromEnvironment({
        NILECARE_WARDS: 'Ward B:B1-B2',
        NILECARE_CARE_TEAM_WEBHOOK_URL: 'http://10.0.0.5:9000/admissions',
        NILECARE_CARE_TEAM_WEBHOOK_TIMEOUT_MS: '2500',
        NILECARE_BED_RESERVATION_SECONDS: '120',
      }),
    );
    expect(options).toMatchObject({
      wards: 'Ward B:B1-B2',
      careTeamWebhookUrl: 'http://10.0.0.5:9000/admissions',
      careTeamWebhookTimeoutMs: 2500,
      bedReservationSeconds: 120,
    });
  });

  it('has no webhook by default (the ward board only), and refuses a webhook that is not http(s)', () => {
    expect(resolveGatewayOptions().careTeamWebhookUrl).toBe('');
    expect(() => resolveGatewayOptions({ careTeamWebhookUrl: 'ftp://10.0.0.5/x' })).toThrow(
      /Option careTeamWebhookUrl is invalid/,
    );
  });
});
