/**
 * `nilecare doctor`'s verdicts: pure functions from what was measured to a
 * status and, when it is not ok, what to do. Gathering the measurements is
 * doctorProbe.ts.
 */
export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  /** What to do, when the status is not ok. */
  action?: string;
}

const gib = 1024 ** 3;
const mib = 1024 ** 2;
const day = 86_400_000;

export function diskCheck(freeBytes: number, totalBytes: number, databaseBytes: number): CheckResult {
  const detail = `${(freeBytes / gib).toFixed(1)} GiB free of ${(totalBytes / gib).toFixed(1)} GiB; event log ${(databaseBytes / mib).toFixed(1)} MiB`;
  const action =
    'free space on the data disk: enable sync retention (NILECARE_SYNC_RETENTION_DAYS) once the hub is reachable, move backups (NILECARE_BACKUP_DIR) to another disk, remove old files; never delete gateway.db';
  if (freeBytes < 512 * mib || freeBytes < totalBytes * 0.02)
    return { name: 'disk', status: 'fail', detail, action };
  if (freeBytes < 2 * gib || freeBytes < totalBytes * 0.1)
    return { name: 'disk', status: 'warn', detail, action };
  return { name: 'disk', status: 'ok', detail };
}

export function clockCheck(
  now: Date,
  lastRecordedAt: Date | undefined,
  ntpSynchronized: boolean | undefined,
): CheckResult {
  const name = 'clock';
  if (now.getUTCFullYear() < 2025)
    return {
      name,
      status: 'fail',
      detail: `system time ${now.toISOString()} is in the past (a dead RTC battery?)`,
      action:
        'set the time (timedatectl set-time, or an NTP server on the LAN) before recording; events carry this time',
    };
  if (lastRecordedAt && now.getTime() < lastRecordedAt.getTime() - 60_000)
    return {
      name,
      status: 'fail',
      detail: `system time ${now.toISOString()} is before the last recorded event (${lastRecordedAt.toISOString()})`,
      action:
        'the clock went backwards: correct it (timedatectl, NTP); the hub flags events from a gateway whose clock was reset',
    };
  const sync =
    ntpSynchronized === undefined
      ? 'NTP status unknown'
      : ntpSynchronized
        ? 'NTP synchronised'
        : 'NTP not synchronised';
  if (ntpSynchronized === false)
    return {
      name,
      status: 'warn',
      detail: `${now.toISOString()}, ${sync}`,
      action:
        'enable time sync (timedatectl set-ntp true) with an NTP server reachable from the clinic, or check the time by hand weekly',
    };
  return { name, status: 'ok', detail: `${now.toISOString()}, ${sync}` };
}

export type PortState = { port: number; what: string; state: 'free' | 'ours' | 'taken' };

export function portsCheck(ports: readonly PortState[]): CheckResult {
  const taken = ports.filter((port) => port.state === 'taken');
  const detail = ports
    .map(
      (port) => `${port.what} ${port.port} ${port.state === 'ours' ? 'in use by this gateway' : port.state}`,
    )
    .join('; ');
  if (taken.length > 0)
    return {
      name: 'ports',
      status: 'fail',
      detail,
      action: `another program listens on ${taken.map((port) => port.port).join(', ')}: stop it (ss -ltnp shows which) or set NILECARE_HTTP_PORT / NILECARE_MQTT_PORT`,
    };
  return { name: 'ports', status: 'ok', detail };
}

export function devicesCheck(
  devices: readonly { deviceId: string; revoked: boolean; lastSeenAt?: string; connected?: boolean }[],
  now: Date,
): CheckResult {
  const active = devices.filter((device) => !device.revoked);
  if (active.length === 0)
    return {
      name: 'devices',
      status: 'warn',
      detail: 'no device registered',
      action: 'pair the ward devices: nilecare devices add <id> (docs/operations.md, "Pairing devices")',
    };
  const silent = active.filter(
    (device) => !device.lastSeenAt || now.getTime() - Date.parse(device.lastSeenAt) > 3_600_000,
  );
  const detail = `${active.length} registered, ${active.filter((device) => device.connected).length} connected; silent for over an hour: ${silent.map((device) => device.deviceId).join(', ') || 'none'}`;
  if (silent.length > 0)
    return {
      name: 'devices',
      status: 'warn',
      detail,
      action: 'check the silent devices are on, on the clinic network, and use their own id and password',
    };
  return { name: 'devices', status: 'ok', detail };
}

export function hubCheck(
  brokers: readonly { broker: string; reachable: boolean; error?: string }[],
): CheckResult {
  if (brokers.length === 0)
    return {
      name: 'hub',
      status: 'ok',
      detail: 'no hub configured: the gateway works offline and keeps everything',
    };
  const reachable = brokers.filter((broker) => broker.reachable);
  const detail = brokers
    .map((broker) => `${broker.broker} ${broker.reachable ? 'reachable' : `unreachable (${broker.error})`}`)
    .join('; ');
  if (reachable.length === 0)
    return {
      name: 'hub',
      status: 'warn',
      detail,
      action:
        'nothing is lost (events wait in the log); check the clinic link, DNS and firewall to the hub, then nilecare sync status',
    };
  return { name: 'hub', status: 'ok', detail };
}

export function chainCheck(
  verdict: { ok: true; events: number } | { ok: false; seq: number; detail: string },
): CheckResult {
  if (verdict.ok)
    return { name: 'chain', status: 'ok', detail: `${verdict.events} events, hash chain intact` };
  return {
    name: 'chain',
    status: 'fail',
    detail: `broken at seq ${verdict.seq}: ${verdict.detail}`,
    action:
      'stop the gateway, keep a copy of the data folder, restore the newest good backup (nilecare restore), report it (docs/errors.md#gw_err_chain_broken)',
  };
}

export function certificateCheck(
  certificates: readonly { what: string; validTo: Date }[],
  now: Date,
): CheckResult {
  if (certificates.length === 0)
    return {
      name: 'certificates',
      status: 'warn',
      detail: 'not provisioned: no TLS',
      action: 'run nilecare provision (docs/operations.md)',
    };
  const left = (validTo: Date) => Math.floor((validTo.getTime() - now.getTime()) / day);
  const detail = certificates.map((cert) => `${cert.what} ${left(cert.validTo)} days left`).join('; ');
  const expired = certificates.filter((cert) => left(cert.validTo) < 0);
  const soon = certificates.filter((cert) => left(cert.validTo) < 30);
  const action =
    'renew: nilecare provision --force with the same settings issues new certificates (keys and gateway id are kept)';
  if (expired.length > 0) return { name: 'certificates', status: 'fail', detail, action };
  if (soon.length > 0) return { name: 'certificates', status: 'warn', detail, action };
  return { name: 'certificates', status: 'ok', detail };
}

export function keysCheck(
  result: { ok: true; keys: number; activeKeyId: string; wrapped: boolean } | { ok: false; error: string },
): CheckResult {
  if (!result.ok)
    return {
      name: 'keys',
      status: 'fail',
      detail: result.error,
      action:
        'give the key-encryption key (NILECARE_KEK_FILE or NILECARE_KEK_PASSPHRASE in /etc/nilecare/gateway.env); without it patient identifiers cannot be read',
    };
  const detail = `${result.keys} PHI key(s), active ${result.activeKeyId}, ${result.wrapped ? 'wrapped by the KEK' : 'in a plain development key file'}`;
  if (!result.wrapped)
    return {
      name: 'keys',
      status: 'warn',
      detail,
      action: 'provision the gateway (nilecare provision) so the keys are wrapped',
    };
  return { name: 'keys', status: 'ok', detail };
}

/** The command's exit code: 2 when a check failed, else 0 (warnings are printed, not fatal). */
export function doctorExitCode(results: readonly CheckResult[]): number {
  return results.some((result) => result.status === 'fail') ? 2 : 0;
}
