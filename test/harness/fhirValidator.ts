import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * HAPI FHIR's reference validator (FhirInstanceValidator, deploy/dev/fhir-validator.sh)
 * as one long-lived Java process per test worker, started on first use: a
 * resource per line in, a verdict per line out, so validating thousands of
 * resources costs one JVM start. Offline: code systems no definition here can
 * resolve (LOINC, SNOMED CT, ICD-10, ATC) are counted apart, not failed.
 */

export interface FhirIssue {
  severity: 'fatal' | 'error' | 'warning' | 'information';
  messageId?: string;
  location?: string;
  message: string;
}

export interface FhirVerdict {
  /** Errors and fatal issues that are not about an external code system: must be none. */
  errors: FhirIssue[];
  /** Issues (any severity) about codes of an external code system that cannot be checked offline. */
  externalTerminology: FhirIssue[];
  /** Warnings and information (best-practice advice, such as dom-6's narrative). */
  advice: FhirIssue[];
}

/** Code systems a terminology server would check; the validator here has no copy of them. */
export const externalCodeSystems = [
  'http://loinc.org',
  'http://snomed.info/sct',
  'http://hl7.org/fhir/sid/icd-10',
  'http://www.whocc.no/atc',
] as const;

export function classifyIssues(issues: readonly FhirIssue[]): FhirVerdict {
  const verdict: FhirVerdict = { errors: [], externalTerminology: [], advice: [] };
  for (const issue of issues) {
    if (externalCodeSystems.some((system) => issue.message.includes(system)))
      verdict.externalTerminology.push(issue);
    else if (issue.severity === 'error' || issue.severity === 'fatal') verdict.errors.push(issue);
    else verdict.advice.push(issue);
  }
  return verdict;
}

/** An error as one line: where, what, and the rule's id (mad-1, dom-6 ...). */
export const issueLine = (issue: FhirIssue) =>
  `${issue.location ?? '?'}: ${issue.message}${issue.messageId ? ` [${issue.messageId}]` : ''}`;

type Reply = { ok: true; messages: FhirIssue[] } | { ok: false; error: string } | { ready: true };

export interface FhirValidatorProcess {
  validate(resource: unknown): Promise<FhirVerdict>;
  close(): void;
}

const script = join(import.meta.dirname, '..', '..', 'deploy', 'dev', 'fhir-validator.sh');

/** How long the JVM may take to compile the launcher and load the R4 definitions (ms; 2 shared cores). */
export const validatorStartTimeoutMs = 240_000;

let running: Promise<FhirValidatorProcess> | undefined;

/** The worker's validator, started on the first call; closed when the worker exits. */
export function fhirValidator(): Promise<FhirValidatorProcess> {
  running ??= startValidator();
  return running;
}

function startValidator(): Promise<FhirValidatorProcess> {
  const child: ChildProcessWithoutNullStreams = spawn('bash', [script, 'run'], { stdio: 'pipe' });
  const pending: { resolve: (reply: Reply) => void; reject: (error: Error) => void }[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const lines = createInterface({ input: child.stdout });
  process.once('exit', () => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    const failAll = (error: Error) => {
      reject(error);
      for (const waiter of pending.splice(0)) waiter.reject(error);
    };
    const timer = setTimeout(
      () =>
        failAll(new Error(`the FHIR validator did not start in ${validatorStartTimeoutMs} ms: ${stderr}`)),
      validatorStartTimeoutMs,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      running = undefined;
      failAll(new Error(`the FHIR validator exited (${code}): ${stderr}`));
    });
    lines.on('line', (line) => {
      const reply = JSON.parse(line) as Reply;
      if ('ready' in reply) {
        clearTimeout(timer);
        resolve(processFor(child, pending));
        return;
      }
      pending.shift()?.resolve(reply);
    });
  });
}

function processFor(
  child: ChildProcessWithoutNullStreams,
  pending: { resolve: (reply: Reply) => void; reject: (error: Error) => void }[],
): FhirValidatorProcess {
  return {
    async validate(resource) {
      const reply = await new Promise<Reply>((resolve, reject) => {
        pending.push({ resolve, reject });
        child.stdin.write(`${JSON.stringify(resource)}\n`);
      });
      if ('ready' in reply) throw new Error('the FHIR validator said ready twice');
      if (!reply.ok)
        return { errors: [{ severity: 'fatal', message: reply.error }], externalTerminology: [], advice: [] };
      return classifyIssues(reply.messages);
    },
    close() {
      child.stdin.end();
    },
  };
}
