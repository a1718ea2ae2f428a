import type { ErrorArea } from '../../kernel/errors/errorsDoc.ts';

/**
 * GW_ERR_ codes of lab orders: the orderable-test catalogue, ordering,
 * collection and cancellation. One area of docs/errors.md (#lab-orders), which
 * gateway/errors.ts composes with the others.
 */
export const labOrderErrors = {
  title: 'Lab orders',
  intro: [
    'See [lab-orders.md](lab-orders.md) for the catalogue file and the life of an order.',
    'Nothing was recorded when one of them is returned.',
  ],
  codes: {
    GW_ERR_LAB_TESTS_INVALID: {
      status: 500,
      message: 'Lab test catalogue %s: %s %s (received %s)',
      meaning: 'the orderable-test catalogue (`<dataDir>/lab-tests.json`) is invalid',
      solve: 'fix the field the message names, see [lab-orders.md](lab-orders.md)',
      readable: '`Lab test catalogue <file>: <field> <what is wrong> (received <value>)`',
      explanation: [
        'The gateway read the orderable-test catalogue at start (`<dataDir>/lab-tests.json`, or',
        'the catalogue shipped with the gateway when the data folder has none) and one entry is',
        'not valid: a field missing, a test code used twice, a LOINC code that is not digits, a',
        'dash and a check digit, or two tests in one container with different specimen types.',
        'The gateway does not start with a broken catalogue, so no clinician orders a test the',
        'laboratory cannot run.',
        '',
        '**How to solve:** fix the field the message names (for example `/tests/3/specimenType`)',
        'as [lab-orders.md](lab-orders.md) describes, then start again. Remove the file to use the',
        'shipped catalogue.',
      ],
    },
    GW_ERR_LAB_TEST_UNKNOWN: {
      status: 422,
      message: 'Test "%s" is not in the lab test catalogue',
      meaning: 'an order names a test code the catalogue does not have',
      solve: 'order from `GET /api/v1/lab-tests`',
      readable: '`Test "<code>" is not in the lab test catalogue`',
      explanation: [
        'Only tests of the clinic’s catalogue can be ordered: the laboratory or analyzer that',
        'performs each is known from it. Nothing was recorded.',
        '',
        '**How to solve:** pick the test from `GET /api/v1/lab-tests`; ask the administrator to',
        'add it to `lab-tests.json` if the laboratory performs it.',
      ],
    },
    GW_ERR_LAB_ORDER_UNKNOWN: {
      status: 404,
      message: 'Lab order "%s" is not on the chart of patient "%s"',
      meaning: "no lab order with that id on the patient's chart",
      solve: 'refresh the list of orders',
      readable: '`Lab order "<orderId>" is not on the chart of patient "<patientId>"`',
      explanation: [
        '**How to solve:** refresh `GET /api/v1/patients/<patientId>/lab-orders` and use an',
        '`orderId` from it.',
      ],
    },
    GW_ERR_LAB_ORDER_STATE: {
      status: 409,
      message: 'Lab order "%s" is %s',
      meaning: 'the order is already cancelled, resulted, or its specimen already collected',
      solve: 'refresh: someone already acted on it',
      readable: '`Lab order "<orderId>" is <cancelled | resulted | already collected>`',
      explanation: [
        'A cancelled order cannot be collected or cancelled again; an order whose results are',
        'all final cannot be cancelled; a specimen is collected once. Nothing was recorded.',
        '',
        '**How to solve:** refresh the chart. A test needed again is a new order.',
      ],
    },
  },
} satisfies ErrorArea;
