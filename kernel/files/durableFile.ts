import { chmodSync, closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes a small file (identity, keys, configuration) so that a power cut at
 * any moment leaves the old file or the new one, whole: the text goes to a
 * temporary file that is fsynced, renamed over the name, and the folder is
 * fsynced so the rename itself is on the disk. Without the fsyncs, ext4 may
 * keep the rename and lose the data: an empty file after the cut
 * (docs/reliability.md#power-loss-simulation).
 */
export function writeFileDurably(path: string, text: string, mode = 0o600): void {
  const temporary = `${path}.tmp`;
  const fd = openSync(temporary, 'w', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(temporary, mode);
  renameSync(temporary, path);
  syncFolder(dirname(path));
}

/** fsync of a folder: makes the names created, renamed or removed in it durable. */
export function syncFolder(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
