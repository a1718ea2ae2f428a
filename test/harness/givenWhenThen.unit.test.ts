import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../gateway/errors.ts';
import { BED_BOARD_DOC_ID, bedHold, bedsProjection } from '../../gateway/projections/beds.ts';
import { patientsProjection } from '../../gateway/projections/patients.ts';
import { deciderSpec, projectionFold, projectionSpec } from './givenWhenThen.ts';
import { eventBuilder, vitals } from './handBuiltEvents.ts';

const build = eventBuilder({ start: '2026-11-26T08:00:00.000Z', envelope: { patientId: 'p-1' } });
const registered = build.patientRegistered({ firstName: 'Amna', lastName: 'Osman', sex: 'female' });
const patients = projectionSpec(patientsProjection);

/** A bed asked for: held beds are refused with a coded error, a free one is reserved. */
const bedRequests = deciderSpec({
  ...projectionFold(bedsProjection),
  decide(bed: string, docs) {
    const hold = bedHold(docs.get(BED_BOARD_DOC_ID), 'Maternity', bed);
    if (hold) throw new GatewayError('GW_ERR_BED_UNAVAILABLE', [bed, 'Maternity', hold.state]);
    return [{ reserve: bed }];
  },
});
const m1Reserved = build.bedReserved({ sagaId: 's-1', ward: 'Maternity', bed: 'M1' });

describe('projectionSpec', () => {
  const given = patients.given(registered);

  it('passes when the documents are as expected', () => {
    given.thenDocMatches('p-1', { firstName: 'Amna', status: 'registered' });
    given.thenDocIds(['p-1']);
    given.thenTouches(['p-1']);
    given.thenDoc('nobody', undefined);
    expect(given.doc('p-1').lastName).toBe('Osman');
  });

  it('fails on a wrong document, naming the projection and the document', () => {
    expect(() => given.thenDocMatches('p-1', { status: 'admitted' })).toThrow(/patients document p-1/);
    expect(() => given.thenDoc('p-1', undefined)).toThrow();
    expect(() => given.then({})).toThrow(/patients documents/);
    expect(() => given.thenDocIds([])).toThrow();
    expect(() => given.thenTouches([])).toThrow();
    expect(() => given.doc('nobody')).toThrow(/patients document nobody exists/);
  });

  it('folds events given one by one and as lists alike', () => {
    const reading = build.vitalSignsRecorded(
      { method: 'manual', ...vitals({ heartRate: 80 }) },
      {
        userId: 'nurse-7',
        userName: 'Sr. Hawa Adam',
        userRole: 'nurse',
      },
    );
    expect(patients.given([registered], reading).docs).toEqual(patients.given(registered, [reading]).docs);
  });
});

describe('deciderSpec', () => {
  it('passes when the decision is as expected', () => {
    bedRequests
      .given()
      .when('M1')
      .then([{ reserve: 'M1' }]);
    bedRequests
      .given(m1Reserved)
      .when('M2')
      .thenMatches([{ reserve: 'M2' }]);
    expect(bedRequests.given().when('M1').thenOnlyOne()).toEqual({ reserve: 'M1' });
    bedRequests.given(m1Reserved).when('M1').thenThrows('GW_ERR_BED_UNAVAILABLE');
  });

  it('fails on a wrong decision', () => {
    expect(() =>
      bedRequests
        .given()
        .when('M1')
        .then([{ reserve: 'M2' }]),
    ).toThrow(/the decision/);
    expect(() => bedRequests.given().when('M1').thenMatches([])).toThrow();
    expect(() => bedRequests.given().when('M1').thenOnlyOne()).not.toThrow();
    expect(() =>
      bedRequests
        .given()
        .whenEach(['M1', 'M2'], () => [])
        .thenOnlyOne(),
    ).toThrow(/exactly one/);
  });

  it('fails when the decision throws another code, or does not throw', () => {
    expect(() => bedRequests.given(m1Reserved).when('M1').thenThrows('GW_ERR_BED_UNKNOWN')).toThrow();
    expect(() => bedRequests.given().when('M1').thenThrows('GW_ERR_BED_UNAVAILABLE')).toThrow(
      /throws GW_ERR_BED_UNAVAILABLE/,
    );
  });

  it('checks the state the given events fold to', () => {
    const held = bedRequests.given(m1Reserved);
    held.thenStateMatches(new Map([[BED_BOARD_DOC_ID, { holds: [{ bed: 'M1', state: 'reserved' }] }]]));
    expect(() => held.thenState(new Map())).toThrow(/the state after the given events/);
    expect(() => held.thenStateMatches(new Map([[BED_BOARD_DOC_ID, { holds: [{ bed: 'M2' }] }]]))).toThrow();
    expect(() =>
      bedRequests.given().thenStateMatches(new Map([[BED_BOARD_DOC_ID, { holds: [] }]])),
    ).toThrow();
  });

  it('evolves the state between commands by what each outcome records', () => {
    const reserved = (outcome: readonly { reserve: string }[]) =>
      outcome.map(({ reserve }) =>
        build.bedReserved({ sagaId: `s-${reserve}`, ward: 'Maternity', bed: reserve }),
      );
    // The second request for M1 finds it held by the first.
    expect(() => bedRequests.given().whenEach(['M1', 'M1'], reserved).outcome).toThrow(
      expect.objectContaining({ code: 'GW_ERR_BED_UNAVAILABLE' }),
    );
    bedRequests
      .given()
      .whenEach(['M1', 'M2'], reserved)
      .then([[{ reserve: 'M1' }], [{ reserve: 'M2' }]]);
  });
});
