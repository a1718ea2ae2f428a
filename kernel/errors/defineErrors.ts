/**
 * The one coded-error mechanism of NileCare Edge (docs/errors.md is generated
 * from the tables built with it: `npm run docs:errors`).
 *
 * A table maps each code to its HTTP status, a message template whose `%s`
 * are filled in order, and the text people read in docs/errors.md. Each side
 * (gateway `GW_ERR_`, sync `SYNC_ERR_`, hub `HUB_ERR_`) declares its tables
 * with `defineErrors` and gets back a class whose instances carry the code, the
 * status and structured `details` (never PHI), plus a guard that recognises
 * any coded error whose code is in the table, whichever class raised it.
 */

/** What one code says: to the program that meets it, and to the person reading docs/errors.md. */
export interface ErrorSpec {
  /** The HTTP status an API answers with. */
  readonly status: number;
  /** Message template; each `%s` is filled with the next argument. */
  readonly message: string;
  /** What went wrong, in one line of Markdown: the summary table of docs/errors.md. */
  readonly meaning: string;
  /** What to do about it, in one line of Markdown: the summary table of docs/errors.md. */
  readonly solve: string;
  /** The message as people read it, each `%s` named (`<id>`), in Markdown: the line under the code's heading. */
  readonly readable: string;
  /**
   * The code's section of docs/errors.md, one Markdown line per element: what
   * happened and why, then a `**How to solve:**` paragraph.
   */
  readonly explanation: readonly string[];
}

export type ErrorTable = Readonly<Record<string, ErrorSpec>>;

/** The base of every coded error, so a guard or a printer needs no knowledge of the side that raised it. */
export class CodedError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly statusCode: number;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    name: string,
    code: Code,
    spec: ErrorSpec,
    args: readonly (string | number)[],
    details?: Record<string, unknown>,
  ) {
    super(fillMessage(spec.message, args));
    this.name = name;
    this.code = code;
    this.statusCode = spec.status;
    this.details = details;
  }
}

/** The template with each `%s` replaced, in order, by the next argument (an empty string when none is left). */
export function fillMessage(template: string, args: readonly (string | number)[]): string {
  let index = 0;
  return template.replace(/%s/g, () => String(args[index++] ?? ''));
}

/** How many `%s` a template has: how many arguments the code takes. */
export function placeholderCount(template: string): number {
  return template.split('%s').length - 1;
}

export function isCodedError(error: unknown): error is CodedError {
  return error instanceof CodedError;
}

/** One side's error class: `new GatewayError('GW_ERR_X', [arg, ...], details?)`. */
export type CodedErrorClass<Code extends string> = new (
  code: Code,
  args: readonly (string | number)[],
  details?: Record<string, unknown>,
) => CodedError<Code>;

/**
 * Builds the error class and guard of one table. `name` is the class name shown
 * in stack traces (`GatewayError`, `HubError` ...).
 */
export function defineErrors<const Table extends ErrorTable>(name: string, table: Table) {
  type Code = keyof Table & string;
  const is = (error: unknown): error is CodedError<Code> =>
    error instanceof CodedError && Object.hasOwn(table, error.code);
  const Coded = class extends CodedError<Code> {
    constructor(code: Code, args: readonly (string | number)[], details?: Record<string, unknown>) {
      super(name, code, table[code] as ErrorSpec, args, details);
    }

    /** `instanceof` asks the table, so a code shared by two tables (the PHI cipher's) is recognised by both. */
    static override [Symbol.hasInstance](value: unknown): boolean {
      return is(value);
    }
  };
  Object.defineProperty(Coded, 'name', { value: name });
  return {
    table,
    Error: Coded as CodedErrorClass<Code>,
    /** True for a coded error whose code is in this table, whichever class raised it. */
    is,
    /** The message `code` would carry with these arguments. */
    message(code: Code, args: readonly (string | number)[]): string {
      return fillMessage((table[code] as ErrorSpec).message, args);
    },
  };
}

/**
 * How a command line shows a coded error: the code, the message and where
 * docs/errors.md explains it (its `### CODE` headings make the anchors).
 */
export function codedErrorText(error: CodedError): string {
  return `${error.code}: ${error.message}\nSee docs/errors.md#${errorAnchor(error.code)}`;
}

/** The anchor of a code's `### CODE` heading in docs/errors.md, as GitHub makes it: the code in lower case. */
export function errorAnchor(code: string): string {
  return code.toLowerCase();
}
