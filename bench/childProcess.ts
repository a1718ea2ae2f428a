import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * A bench step run in its own process, so that what it measures (the device
 * fleet's clocks, the storage run's RSS) is not mixed with the process under
 * test. The parent sends { run }, the child may answer { ready } and then
 * waits for { go } (the parent reads its counters in between), and ends with
 * { result } or { failed }.
 */
type ToChild = { type: 'run'; command: unknown } | { type: 'go' };
type FromChild =
  | { type: 'ready' }
  | { type: 'result'; result: unknown }
  | { type: 'failed'; message: string };

export function runChild<Result>(
  entry: URL,
  execArgv: readonly string[],
  command: unknown,
  onReady?: () => Promise<void> | void,
): Promise<Result> {
  const child = fork(fileURLToPath(entry), [], {
    execArgv: [...execArgv],
    serialization: 'advanced',
    stdio: 'inherit',
  });
  const send = (message: ToChild) => child.send(message);
  return new Promise<Result>((resolve, reject) => {
    let outcome: { ok: true; result: Result } | { ok: false; error: Error } | undefined;
    child.on('message', (message: FromChild) => {
      if (message.type === 'ready') {
        Promise.resolve(onReady?.()).then(
          () => send({ type: 'go' }),
          (error: unknown) => {
            child.kill();
            reject(error);
          },
        );
        return;
      }
      outcome =
        message.type === 'result'
          ? { ok: true, result: message.result as Result }
          : { ok: false, error: new Error(`${fileURLToPath(entry)}: ${message.message}`) };
      child.disconnect();
    });
    // Settle on exit, once the child is reaped, so its CPU time is counted as this process's (machineLoad.ts).
    child.on('exit', (code, signal) => {
      if (!outcome)
        reject(
          new Error(`${fileURLToPath(entry)} exited (code ${code}, signal ${signal}) before its result`),
        );
      else if (outcome.ok) resolve(outcome.result);
      else reject(outcome.error);
    });
    send({ type: 'run', command });
  });
}

/** The child's side: runs the handler on the parent's command; `ready()` resolves when the parent says go. */
export function serveParent<Command>(
  handler: (command: Command, ready: () => Promise<void>) => Promise<unknown>,
): void {
  const send = (message: FromChild) => process.send!(message);
  let go: (() => void) | undefined;
  process.on('message', (message: ToChild) => {
    if (message.type === 'go') {
      go?.();
      return;
    }
    const ready = () =>
      new Promise<void>((resolve) => {
        go = resolve;
        send({ type: 'ready' });
      });
    handler(message.command as Command, ready).then(
      (result) => send({ type: 'result', result }),
      (error: unknown) =>
        send({
          type: 'failed',
          message: error instanceof Error ? (error.stack ?? error.message) : String(error),
        }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}
