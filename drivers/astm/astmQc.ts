import { type AstmMessage, type AstmOrder, componentsOf, fieldOf } from './astmRecords.ts';

export interface QcRun {
  control?: string;
  level?: string;
  lot?: string;
}

/** Control specimen ids analyzers use for QC material ("QC-1", "CTRL MEDIUM", "CONTROL L2"). */
const controlId = /^(QC|CTRL|CONTROL)(\b|[-_ ]|\d)/i;

/**
 * A quality-control run, not a patient's specimen (docs/devices.md#quality-control-results):
 * the H record's processing id (H.12) is "Q" (E1394 7.1.12: quality control),
 * or the order's action code (O.12) is "Q" (E1394 9.4.12: control
 * specimen), or the order's specimen id names control material.
 */
export function qcRunOf(message: AstmMessage, order: AstmOrder): QcRun | undefined {
  const d = message.delimiters;
  const processing = componentsOf(fieldOf(message.header, 12), d)[0]?.trim().toUpperCase();
  const action = componentsOf(fieldOf(order.record, 12), d)[0]?.trim().toUpperCase();
  const specimen = [3, 4]
    .map((n) =>
      componentsOf(fieldOf(order.record, n), d)
        .map((part) => part.trim())
        .filter((part) => part !== ''),
    )
    .find((parts) => parts.length > 0);
  const named = specimen?.some((part) => controlId.test(part)) ?? false;
  if (processing !== 'Q' && action !== 'Q' && !named) return undefined;
  const control = specimen?.at(-1);
  const level = specimen
    ?.join(' ')
    .match(/\b(LOW|NORMAL|MEDIUM|HIGH|ABNORMAL|L[1-3]|LEVEL ?[1-3])\b/i)?.[1]
    ?.toUpperCase();
  return { ...(control ? { control: control.slice(0, 64) } : {}), ...(level ? { level } : {}) };
}
