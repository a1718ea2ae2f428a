import { connect, type Socket } from 'node:net';

/** MQTT's variable byte integer ([MQTT-2.2.3], Remaining Length). */
function remainingLength(length: number): Buffer {
  const bytes: number[] = [];
  let rest = length;
  do {
    let byte = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    bytes.push(byte);
  } while (rest > 0);
  return Buffer.from(bytes);
}

/** A UTF-8 string with its two-byte length prefix ([MQTT-1.5.3]). */
function mqttString(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/**
 * An MQTT 3.1.1 CONNECT packet built byte by byte ([MQTT-3.1]): clean
 * session, username and password, and the keep-alive the test chooses, so a
 * test can play a device that connects and then falls silent.
 */
export function connectPacket(fields: {
  clientId: string;
  username: string;
  password: string;
  keepaliveSeconds: number;
}): Buffer {
  const keepalive = Buffer.alloc(2);
  keepalive.writeUInt16BE(fields.keepaliveSeconds);
  const flags = 0x80 | 0x40 | 0x02; // username, password, clean session [MQTT-3.1.2-3]
  const variableHeader = Buffer.concat([mqttString('MQTT'), Buffer.from([0x04, flags]), keepalive]);
  const payload = Buffer.concat([
    mqttString(fields.clientId),
    mqttString(fields.username),
    mqttString(fields.password),
  ]);
  const body = Buffer.concat([variableHeader, payload]);
  return Buffer.concat([Buffer.from([0x10]), remainingLength(body.length), body]);
}

/**
 * Opens a plain TCP socket, sends a hand-built CONNECT and resolves with the
 * socket once the CONNACK ([MQTT-3.2]) says 0 (accepted); it then sends
 * nothing more. `closed` resolves when the broker closes the connection.
 */
export function connectSilentDevice(
  port: number,
  fields: Parameters<typeof connectPacket>[0],
): Promise<{ socket: Socket; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    let received = Buffer.alloc(0);
    socket.on('error', reject);
    socket.once('connect', () => socket.write(connectPacket(fields)));
    socket.on('data', function onData(chunk: Buffer) {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4) return;
      socket.off('data', onData);
      const [type, length, , returnCode] = received;
      if (type !== 0x20 || length !== 0x02)
        return reject(new Error(`expected a CONNACK, received ${received.toString('hex')}`));
      if (returnCode !== 0)
        return reject(new Error(`CONNACK refused the connection with return code ${returnCode}`));
      resolve({ socket, closed });
    });
  });
}

/**
 * Sends one hand-built CONNECT on a fresh TCP socket and resolves with the
 * CONNACK's return code ([MQTT-3.2.2-3]: 0 accepted, 4 bad user name or
 * password, 5 not authorized), or 'closed' when the broker closed the socket
 * without a CONNACK. The socket is closed either way.
 */
export function connackReturnCode(
  port: number,
  fields: Omit<Parameters<typeof connectPacket>[0], 'keepaliveSeconds'>,
): Promise<number | 'closed'> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = Buffer.alloc(0);
    socket.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' ? resolve('closed') : reject(error),
    );
    socket.once('close', () => resolve('closed'));
    socket.once('connect', () => socket.write(connectPacket({ ...fields, keepaliveSeconds: 30 })));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4) return;
      const [type, length, , returnCode] = received;
      if (type !== 0x20 || length !== 0x02)
        reject(new Error(`expected a CONNACK, received ${received.toString('hex')}`));
      else resolve(returnCode!);
      socket.destroy();
    });
  });
}
