/**
 * The headers that say who acts, for the tests of the admission saga and the
 * chart routes: the one place to change when login sessions replace the
 * X-NileCare-User headers.
 */
export type StaffRole = 'nurse' | 'physician' | 'admin';

const staff: Record<StaffRole, { userId: string; userName: string }> = {
  nurse: { userId: 'nurse-amna', userName: 'آمنة عثمان' },
  physician: { userId: 'dr-yousif', userName: 'Dr Yousif Ibrahim' },
  admin: { userId: 'admin-omer', userName: 'Omer Hassan' },
};

export function actorHeaders(role: StaffRole): Record<string, string> {
  const { userId, userName } = staff[role];
  return {
    'x-nilecare-user-id': userId,
    'x-nilecare-user-name': encodeURIComponent(userName),
    'x-nilecare-user-role': role,
  };
}

export const staffIds = {
  nurse: staff.nurse.userId,
  physician: staff.physician.userId,
  admin: staff.admin.userId,
};
