import type { GatewayError } from '../errors.ts';

/**
 * A new secret (a user's or a device's password) as the CLI takes one, never
 * from the command line (shell history, `ps`): the first line of stdin when
 * stdin is not a terminal (`... < file`, a pipe), else asked twice without
 * echo. `refuse` makes the error for two entries that differ or none at all.
 */
export async function readNewSecret(
  question: string,
  refuse: (why: string) => GatewayError,
): Promise<string> {
  if (!process.stdin.isTTY) return firstLineOfStdin();
  const first = await askHidden(question, refuse);
  const second = await askHidden('Same password again: ', refuse);
  if (first !== second) throw refuse('the two entries differ');
  return first;
}

async function firstLineOfStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.split(/\r?\n/)[0] ?? '';
}

/** Reads a line from the terminal in raw mode, echoing nothing. */
function askHidden(question: string, refuse: (why: string) => GatewayError): Promise<string> {
  const stdin = process.stdin;
  // Echo off before the question shows: whatever is typed (or pasted) once it is on the screen stays hidden.
  stdin.setRawMode(true);
  process.stderr.write(question);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const character of chunk) {
        if (character === '\r' || character === '\n') {
          finish();
          resolve(value);
          return;
        }
        if (character === '\u0003' || character === '\u0004') {
          finish();
          reject(refuse('no password entered'));
          return;
        }
        if (character === '\u007f' || character === '\b') value = value.slice(0, -1);
        else value += character;
      }
    };
    stdin.on('data', onData);
  });
}
