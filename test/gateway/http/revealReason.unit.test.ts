import { describe, expect, it } from 'vitest';
import { revealPurposes } from '../../../gateway/http/contract/revealPurposes.ts';
import { revealReasonProblem } from '../../../gateway/http/revealReason.ts';

describe('a reason for revealing a national ID', () => {
  it('is any purpose the ward screen offers', () => {
    for (const purpose of revealPurposes) expect(revealReasonProblem(purpose), purpose).toBeUndefined();
  });

  it('is free text of at least two words and ten characters, in any script', () => {
    for (const reason of ['Confirming identity', 'Insurance claim form', 'تأكيد هوية المريض'])
      expect(revealReasonProblem(reason), reason).toBeUndefined();
  });

  it('is not a word or two too short, one long word, or digits and signs', () => {
    for (const reason of ['ok', 'x', 'why not', 'verification', '1234567890 12', '!!!!!!!!!! ??', '   '])
      expect(revealReasonProblem(reason), reason).toMatch(/^body\/reason must say why/);
  });
});
