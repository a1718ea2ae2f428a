import type { ErrorArea } from '../../kernel/errors/errorsDoc.ts';

/**
 * GW_ERR_ codes of sessions, roles, users and passwords: one area of docs/errors.md
 * (#signing-in-and-roles-http-api), which gateway/errors.ts composes with the others.
 */
export const signingInErrors = {
  title: 'Signing in and roles (HTTP API)',
  intro: [
    "Every route of the API except `/health`, `/metrics`, the web UI's files, the API",
    'reference (`/docs`) and signing in and out needs a signed-in session, and the',
    "session's role must hold the route's permission. Roles, the permission matrix and",
    'sessions: [security-access.md](security-access.md).',
  ],
  codes: {
    GW_ERR_AUTH_REQUIRED: {
      status: 401,
      message: 'Sign in first: %s',
      meaning: 'no signed-in session came with the request',
      solve: 'sign in (`POST /api/v1/session`) and send the cookie',
      readable: '`Sign in first: <why>`',
      explanation: [
        'The request carried no session cookie (`nilecare_session`), or one the gateway does',
        'not know: signed out, the user was disabled, or the cookie is from another gateway.',
        'The old `X-NileCare-User-*` headers no longer name anyone and are ignored.',
        '',
        '**How to solve:** sign in with `POST /api/v1/session` (the web UI shows its sign-in',
        'screen) and send the cookie it sets with each request; `fetch` needs',
        "`credentials: 'same-origin'` (the default).",
      ],
    },
    GW_ERR_SESSION_EXPIRED: {
      status: 401,
      message: 'Your session ended: %s; sign in again',
      meaning: 'the session ended: idle too long, or past its longest lifetime',
      solve: 'sign in again',
      readable:
        '`Your session ended: <no activity for too long | it reached its longest lifetime>; sign in again`',
      explanation: [
        'A session ends after `NILECARE_SESSION_IDLE_MINUTES` (15 by default) without a',
        'request, and `NILECARE_SESSION_MAX_HOURS` (12) after sign-in whatever its use, so an',
        'unattended tablet on the ward does not stay signed in.',
        '',
        '**How to solve:** sign in again. To change the limits, set the two variables and',
        'restart the gateway.',
      ],
    },
    GW_ERR_ROLE_FORBIDDEN: {
      status: 403,
      message: 'Role "%s" may not do this: %s',
      meaning: "the signed-in user's role may not do this",
      solve: 'ask a user whose role may (see [security-access.md](security-access.md))',
      readable: '`Role "<role>" may not do this: it needs <permission>`',
      explanation: [
        "The signed-in user's role lacks the permission the route needs: a nurse managing",
        'users, a technician reading a patient or a national ID. `this route declares no',
        "permission` means a route was added without one (a developer's omission): it is",
        'refused to everyone until it declares one, and the gateway logs a warning at start.',
        '',
        '**How to solve:** ask a colleague whose role may (the matrix is in',
        '[security-access.md](security-access.md)); an admin can create a user with the',
        "right role. Developers: add `config: { permission: '...' }` to the route.",
      ],
    },
    GW_ERR_LOGIN_FAILED: {
      status: 401,
      message: 'Wrong username or password',
      meaning: 'wrong username or password',
      solve: 'check both; an admin can create a new user',
      readable: '`Wrong username or password`',
      explanation: [
        'The same answer whether the username does not exist, the password is wrong or the',
        'user is disabled, so the screen tells a guesser nothing. Each failure counts',
        'towards the sign-in limit.',
        '',
        '**How to solve:** check the username (lower case) and the password (case matters,',
        'at least 12 characters). A forgotten password: an admin disables the user and',
        'creates a new one (`nilecare users add` on the gateway, or the users screen).',
      ],
    },
    GW_ERR_LOGIN_RATE_LIMITED: {
      status: 429,
      message: 'Too many failed sign-ins; try again in %s seconds',
      meaning: 'too many failed sign-ins for the name or the device',
      solve: 'wait the seconds in `Retry-After`',
      readable: '`Too many failed sign-ins; try again in <seconds> seconds`',
      explanation: [
        'Five failed sign-ins within 15 minutes for one username, or from one device',
        'address, stop further tries from it until the oldest failure is 15 minutes old. The',
        '`Retry-After` header holds the seconds.',
        '',
        '**How to solve:** wait. If nobody on the ward made those tries, tell the person',
        'responsible for the gateway: someone may be guessing passwords.',
      ],
    },
    GW_ERR_USER_EXISTS: {
      status: 409,
      message: 'Username "%s" is already taken',
      meaning: 'the username is taken',
      solve: 'choose another username',
      readable: '`Username "<username>" is already taken`',
      explanation: [
        'Usernames are unique (in lower case), also across disabled users, so every `userId`',
        'in the log keeps one name.',
        '',
        '**How to solve:** choose another username, e.g. add an initial.',
      ],
    },
    GW_ERR_USER_UNKNOWN: {
      status: 404,
      message: 'User "%s" does not exist',
      meaning: 'no user with that id',
      solve: 'reload the user list',
      readable: '`User "<userId>" does not exist`',
      explanation: [
        '**How to solve:** reload the user list (`GET /api/v1/users` or `nilecare users list`)',
        'and use the `userId` it shows.',
      ],
    },
    GW_ERR_USER_STATE: {
      status: 409,
      message: 'User "%s": %s',
      meaning: 'the user is already disabled, or is the last active admin',
      solve: 'reload; add another admin first',
      readable: '`User "<userId>": <is already disabled | is the last active admin>`',
      explanation: [
        '**How to solve:** reload the list. To replace the last admin, create the new admin',
        'first, then disable the old one.',
      ],
    },
    GW_ERR_PASSWORD_WEAK: {
      status: 400,
      message: 'Password refused: %s',
      meaning: 'the new password is too short or too long, or the two entries differ',
      solve: 'at least 12 characters',
      readable: '`Password refused: <why>`',
      explanation: [
        'A password must be 10 to 256 characters; `nilecare users add` also says so when the',
        'two entries typed differ.',
        '',
        '**How to solve:** choose a longer password: a short sentence is easy to remember',
        'and hard to guess.',
      ],
    },
    GW_ERR_NATIONAL_ID_MISSING: {
      status: 404,
      message: 'Patient "%s" has no national ID on record',
      meaning: 'the patient has no national ID on record',
      solve: 'nothing to reveal; update the patient if the ID is known',
      readable: '`Patient "<patientId>" has no national ID on record`',
      explanation: [
        "Revealing a national ID found none on the patient's record; nothing was recorded.",
        '',
        '**How to solve:** if the patient has one, add it with an update of the patient',
        '(`PATCH /api/v1/patients/<patientId>`).',
      ],
    },
  },
} satisfies ErrorArea;
