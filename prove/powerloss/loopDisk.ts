import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * A disk whose power can be cut: an ext4 file system in an image file,
 * attached as a loop device with direct I/O (what the loop device writes goes
 * to the image, not into the host's page cache) and mounted. What the file
 * system above it has not written down (its dirty pages: everything not
 * fsynced, while periodic writeback is held off) is not in the image: a copy
 * of the image is the disk as a power cut would leave it.
 */
export interface LoopDisk {
  image: string;
  device: string;
  mountPoint: string;
  detach(): void;
}

const run = (command: string, args: readonly string[]) =>
  execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** Refuses clearly when this process cannot attach loop devices (not root): the campaign fails, it is not skipped. */
export function requireRoot(): void {
  if (process.getuid?.() !== 0)
    throw new Error(
      'the powerloss campaign needs root (losetup, mount, sysctl vm.dirty_*): run it as root, or in a VM where you are',
    );
}

/** Makes a new ext4 image of `megabytes`. */
export function makeImage(image: string, megabytes: number): void {
  run('truncate', ['-s', `${megabytes}M`, image]);
  run('mkfs.ext4', ['-q', '-F', image]);
}

/**
 * Attaches and mounts an image (an ext4 that was cut off is recovered from its
 * journal here, as at a real boot). `commit=300`: ext4 commits its journal
 * every five minutes, not every five seconds, so what reaches the disk is what
 * the gateway synced, not what a timer happened to write.
 */
export function mountImage(image: string, mountPoint: string): LoopDisk {
  mkdirSync(mountPoint, { recursive: true });
  const device = run('losetup', ['-f', '--show', '--direct-io=on', image]);
  try {
    run('mount', ['-o', 'commit=300', device, mountPoint]);
  } catch (error) {
    run('losetup', ['-d', device]);
    throw error;
  }
  return {
    image,
    device,
    mountPoint,
    detach() {
      run('umount', [mountPoint]);
      run('losetup', ['-d', device]);
    },
  };
}

const writeback = ['/proc/sys/vm/dirty_writeback_centisecs', '/proc/sys/vm/dirty_expire_centisecs'] as const;

/**
 * Holds the kernel's periodic writeback off for the campaign (dirty pages are
 * written only when a program syncs them) and returns the function that puts
 * the settings back as they were.
 */
export function holdWritebackOff(): () => void {
  const before = writeback.map((path) => readFileSync(path, 'utf8').trim());
  writeFileSync(writeback[0], '0');
  writeFileSync(writeback[1], '360000');
  return () => {
    for (const [index, path] of writeback.entries()) writeFileSync(path, before[index]!);
  };
}
