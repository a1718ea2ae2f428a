import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

/**
 * The public HL7 v2 samples in `../shared/testdata/hl7v2/` (relative to the
 * repository root; a git worktree one level deeper looks one level further
 * up). Fails loudly when they are missing, never skips.
 */
export function hl7TestdataDir(): string {
  const candidates = [
    join(root, '..', 'shared', 'testdata', 'hl7v2'),
    join(root, '..', '..', 'shared', 'testdata', 'hl7v2'),
  ];
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) throw new Error(`HL7 test data not found in ${candidates.join(' or ')}`);
  return found;
}

/** Every sample message, by file name, as the bytes on disk (segments separated by LF). */
export function hl7Samples(): { name: string; bytes: Buffer }[] {
  const dir = hl7TestdataDir();
  return readdirSync(dir)
    .filter((name) => name.endsWith('.hl7'))
    .sort()
    .map((name) => ({ name, bytes: readFileSync(join(dir, name)) }));
}

/** An IHE PCD-01 observation report from a bedside monitor, as a real one is laid out (MDS/VMD/channel OBX). */
export function pcd01Message(controlId: string, patientId: string, spo2 = 97): string {
  return [
    'MSH|^~\\&|B40_GE^080019FFFE0B4020^EUI-64|WARD-A|NILECARE|CLINIC|20261126103000+0200||ORU^R01^ORU_R01|' +
      `${controlId}|P|2.6|||NE|AL||UNICODE UTF-8|||IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO`,
    `PID|||${patientId}^^^CLINIC^MR||DOE^JANE`,
    'PV1||I|WARD-A^1^A1',
    'OBR|1|||182777000^monitoring of patient^SCT|||20261126103000+0200',
    'OBX|1||69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC|1.0.0.0|||||||X',
    'OBX|2||69854^MDC_DEV_ANALY_SAT_O2_VMD^MDC|1.1.0.0|||||||X',
    `OBX|3|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.1.1.1|${spo2}|262688^MDC_DIM_PERCENT^MDC|||||R|||20261126102955+0200`,
    'OBX|4|NM|149530^MDC_PULS_OXIM_PULS_RATE^MDC|1.1.1.2|88|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R',
    'OBX|5|NM|147842^MDC_ECG_HEART_RATE^MDC|1.2.1.1|86|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R',
    'OBX|6|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.3.1.1|118|266016^MDC_DIM_MMHG^MDC|||||R',
    'OBX|7|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC|1.3.1.2|76|266016^MDC_DIM_MMHG^MDC|||||R',
    'OBX|8|NM|150023^MDC_PRESS_BLD_NONINV_MEAN^MDC|1.3.1.3|90|266016^MDC_DIM_MMHG^MDC|||||R',
    'OBX|9|NM|151562^MDC_RESP_RATE^MDC|1.4.1.1|18|264928^MDC_DIM_RESP_PER_MIN^MDC|||||R',
    'OBX|10|NM|150344^MDC_TEMP^MDC|1.5.1.1|98.6|266560^MDC_DIM_FAHR^MDC|||||R',
  ].join('\r');
}
