import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../../gateway/eventStore/verifyChain.ts';
import { encryptField } from '../../kernel/phi/fieldCipher.ts';
import { testKeyring } from '../../kernel/phi/phiKeyring.ts';
import { phiKeyIdsOf } from '../../gateway/recording/phiKeyIds.ts';
import { fromWireRecord, toWireRecord } from '../../kernel/kafka/wireFormat.ts';
import { openRecordedDataDir } from '../harness/recordedDataDir.ts';
import { tempDataDir } from '../harness/tempDataDir.ts';

let dir: ReturnType<typeof tempDataDir>;
let recorded: ReturnType<typeof openRecordedDataDir>;
const nationalId = 'SD7391046285';
const phone = '+249912345678';

beforeEach(() => {
  dir = tempDataDir();
  recorded = openRecordedDataDir(dir.path, new Date().toISOString());
});
afterEach(() => {
  recorded.close();
  dir.remove();
});

const register = (patientId: string, phi: Record<string, string>) =>
  recorded.record(
    'patient_registered',
    { firstName: 'Amna', lastName: 'Osman', sex: 'female', registeredAt: new Date().toISOString(), ...phi },
    { patientId },
  );
const storedBody = (seq: number) =>
  (recorded.services.db.prepare('SELECT body FROM events WHERE seq = ?').get(seq) as { body: string }).body;

describe('the PHI key id in the event metadata (guarantee 8)', () => {
  it('names the key the national ID and phone were sealed with, inside the hashed event', async () => {
    const [event] = await register('p-1', { sudanNationalId: nationalId, phone });
    const { activeKeyId } = recorded.services.keyring;
    expect(event!.metadata).toMatchObject({ phiKeyIds: [activeKeyId] });
    expect(String(event!.data.sudanNationalId).split(':')[2]).toBe(activeKeyId);
    // Stored in the body the chain hashes: verify recomputes every hash from it.
    expect(JSON.parse(storedBody(event!.seq)).metadata).toEqual({ phiKeyIds: [activeKeyId] });
    expect(verifyChain(recorded.services.db)).toMatchObject({ ok: true, events: 1 });
  });

  it('lists every key after a rotation, and is absent from an event with no encrypted field', async () => {
    const { keyring } = recorded.services;
    const oldKey = keyring.activeKeyId;
    const sealedBefore = encryptField(nationalId, 'sudanNationalId', keyring);
    // Rotation as provisioning will do it: a new key becomes active, the old one stays for reading.
    (keyring.keys as Map<string, Buffer>).set('k-rotated', randomBytes(32));
    keyring.activeKeyId = 'k-rotated';
    const [both] = await register('p-2', { sudanNationalId: sealedBefore, phone });
    expect(both!.metadata).toMatchObject({ phiKeyIds: [oldKey, 'k-rotated'].sort() });
    const [plain] = await register('p-3', {});
    expect(plain!.metadata?.phiKeyIds).toBeUndefined();
    expect(verifyChain(recorded.services.db)).toMatchObject({ ok: true, events: 2 });
  });

  it('travels on the wire with the event, and the record still holds no plain PHI', async () => {
    const [event] = await register('p-4', { sudanNationalId: nationalId, phone });
    const record = toWireRecord(event!);
    const bytes = [
      record.key,
      record.value,
      ...Object.entries(record.headers).flatMap(([name, value]) => [name, String(value)]),
    ].join('\n');
    expect(bytes).not.toContain(nationalId);
    expect(bytes).not.toContain(phone);
    const decoded = fromWireRecord(Buffer.from(record.value), record.headers);
    expect(decoded.ok && decoded.event.metadata).toEqual({
      phiKeyIds: [recorded.services.keyring.activeKeyId],
    });
  });

  it('reads the key ids from the sealed values, top level and inside changes', () => {
    const sealedA = encryptField(phone, 'phone', testKeyring('k-a'));
    const keyring = testKeyring('k-b');
    const data = {
      phone: sealedA,
      changes: { sudanNationalId: encryptField(nationalId, 'sudanNationalId', keyring), phone: sealedA },
      note: 'enc:v1:not-a-listed-field:x:y',
    };
    expect(phiKeyIdsOf(data, ['sudanNationalId', 'phone'])).toEqual(['k-a', 'k-b']);
    expect(phiKeyIdsOf({ phone: 'plain' }, ['phone'])).toEqual([]);
  });
});
