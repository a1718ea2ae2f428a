import { GatewayError } from '../errors.ts';
import type { LabTestCatalogue, OrderableTest, SpecimenType } from './labTestCatalogue.ts';

export interface PlannedSpecimen {
  container: string;
  specimenType: SpecimenType;
  tests: OrderableTest[];
}

/**
 * Which specimens an order needs: the tests grouped by container, in the order
 * first asked for, one specimen (one tube, one label, one order) per container
 * (docs/lab-orders.md#one-order-per-specimen). A code not in the catalogue is
 * refused.
 */
export function planSpecimens(codes: readonly string[], catalogue: LabTestCatalogue): PlannedSpecimen[] {
  const byContainer = new Map<string, PlannedSpecimen>();
  for (const code of codes) {
    const test = catalogue.tests.find((entry) => entry.code === code);
    if (!test) throw new GatewayError('GW_ERR_LAB_TEST_UNKNOWN', [code]);
    const planned = byContainer.get(test.container);
    if (planned) {
      if (!planned.tests.includes(test)) planned.tests.push(test);
    } else
      byContainer.set(test.container, {
        container: test.container,
        specimenType: test.specimenType,
        tests: [test],
      });
  }
  return [...byContainer.values()];
}
