import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Role, roles } from '../../kernel/roles/permissions.ts';
import { type OpenApiDocument, operationsOf } from '../harness/openApiChecks.ts';
import { addTestUser, sessionCookieFor, type TestUser } from '../harness/sessions.ts';
import { startTestGateway, type TestGateway } from '../harness/testGateway.ts';

/**
 * The role matrix as docs/security-access.md documents it, read from the page
 * itself: the table of permissions and the roles that hold them, and the table
 * of routes and the permission each needs. Every operation of the gateway's
 * OpenAPI document is then called with a session of each role and with none,
 * over real HTTP, and each answer must be what the two tables say.
 */
const page = readFileSync(new URL('../../docs/security-access.md', import.meta.url), 'utf8');

/** The rows of the markdown table whose header row starts with `firstHeader`, as cells (backticks kept). */
function tableOf(markdown: string, firstHeader: string): { header: string[]; rows: string[][] } {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`| ${firstHeader} |`));
  if (start < 0) throw new Error(`docs/security-access.md has no table starting "| ${firstHeader} |"`);
  const cells = (line: string) =>
    line
      .slice(1, line.lastIndexOf('|'))
      .split('|')
      .map((cell) => cell.trim());
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(cells(line));
  }
  return { header: cells(lines[start]!), rows };
}

const code = (cell: string) => /^`([^`]+)`$/.exec(cell)?.[1] ?? cell;

/** permission -> the roles with a ✓ in its row. */
const permissionTable = tableOf(page, 'permission');
const documentedRoles = permissionTable.header.slice(2);
const holders = new Map(
  permissionTable.rows.map(
    (row) =>
      [code(row[0]!), documentedRoles.filter((_, column) => row[column + 2] === '✓') as Role[]] as const,
  ),
);

/** `METHOD /path` -> the permission it needs, or `public`. */
const routeRows = tableOf(page, 'route').rows.map((row) => {
  const [method, path] = code(row[0]!).split(' ') as [string, string];
  return { method, path, needs: code(row[1]!) };
});

let gateway: TestGateway;
let base: string;
let document: OpenApiDocument;
const users = new Map<Role, TestUser>();

beforeAll(async () => {
  gateway = await startTestGateway();
  base = `http://127.0.0.1:${gateway.httpPort}`;
  for (const role of roles) users.set(role, await addTestUser(gateway.services, role));
  document = (await (await fetch(`${base}/docs/json`)).json()) as OpenApiDocument;
});
afterAll(async () => {
  await gateway?.stop();
});

/**
 * Calls an operation as `role` (a fresh session each time: signing out must
 * not end the next call's), or with no session. Path parameters name nothing
 * that exists and a write sends `{}`, so an allowed call changes nothing.
 */
async function call(method: string, path: string, role: Role | undefined) {
  const url = path.replace(/\{([^}]+)\}/g, (_, name: string) => `no-such-${name}`);
  const write = method !== 'GET';
  const abort = new AbortController();
  const response = await fetch(`${base}${url}`, {
    method,
    headers: {
      ...(role ? sessionCookieFor(gateway.services, users.get(role)!) : {}),
      ...(write ? { 'content-type': 'application/json' } : {}),
    },
    ...(write ? { body: '{}' } : {}),
    signal: abort.signal,
  });
  const isStream = response.headers.get('content-type')?.startsWith('text/event-stream');
  const text = isStream ? '' : await response.text();
  abort.abort();
  return {
    status: response.status,
    code: text.startsWith('{') ? (JSON.parse(text).code as string) : undefined,
  };
}

describe('the role matrix documented in docs/security-access.md', () => {
  it('names the roles of the gateway, and only permissions of its table', () => {
    expect(documentedRoles).toEqual([...roles]);
    for (const { method, path, needs } of routeRows)
      expect(needs === 'public' || holders.has(needs), `${method} ${path} needs "${needs}"`).toBe(true);
  });

  it('lists every operation of the OpenAPI document once, and none that is not in it', () => {
    const operations = operationsOf(document).map(([path, method]) => `${method.toUpperCase()} ${path}`);
    const documented = routeRows.map(({ method, path }) => `${method} ${path}`);
    expect(new Set(documented).size).toBe(documented.length);
    expect([...documented].sort()).toEqual([...operations].sort());
  });

  it.each(routeRows)(
    'is what $method $path answers each role and no session ($needs)',
    async ({ method, path, needs }) => {
      const answers: Record<string, string> = {};
      const expected: Record<string, string> = {};
      for (const role of [...roles, undefined]) {
        const who = role ?? 'no session';
        const { status, code } = await call(method, path, role);
        answers[who] =
          status === 401 || status === 403 ? `${status} ${code}` : status >= 500 ? `${status}` : 'allowed';
        expected[who] =
          needs === 'public' || (role !== undefined && holders.get(needs)?.includes(role))
            ? 'allowed'
            : role === undefined
              ? '401 GW_ERR_AUTH_REQUIRED'
              : '403 GW_ERR_ROLE_FORBIDDEN';
      }
      expect(answers).toEqual(expected);
    },
  );
});
