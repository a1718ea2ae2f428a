/*
 * The disk campaign's I/O fault shim (docs/reliability.md#disk-campaign),
 * loaded into the gateway process with LD_PRELOAD. While the control file
 * named by PROVE_IO_FAULT_CONTROL exists and holds "ENOSPC" or "EIO",
 * every write(), pwrite(), pwrite64(), fsync() and fdatasync() on the event
 * log (gateway.db) or its write-ahead log (gateway.db-wal) fails with that
 * errno, as a full or failing disk would make it fail in the middle of a
 * commit. Each failure appends one byte to PROVE_IO_FAULT_HITS, so the
 * campaign can count them. Every other file, and every call while the control
 * file is absent, goes to the C library untouched.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

static int injected_errno(void) {
  const char *control = getenv("PROVE_IO_FAULT_CONTROL");
  if (control == NULL) return 0;
  int fd = (int)syscall(SYS_openat, AT_FDCWD, control, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char text[16] = {0};
  long n = syscall(SYS_read, fd, text, sizeof text - 1);
  syscall(SYS_close, fd);
  if (n <= 0) return 0;
  if (strncmp(text, "ENOSPC", 6) == 0) return ENOSPC;
  if (strncmp(text, "EIO", 3) == 0) return EIO;
  return 0;
}

static int is_event_log(int fd) {
  char link[64];
  char path[4096];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, path, sizeof path - 1);
  if (n <= 0) return 0;
  path[n] = '\0';
  const char *name = strrchr(path, '/');
  name = name == NULL ? path : name + 1;
  return strcmp(name, "gateway.db") == 0 || strcmp(name, "gateway.db-wal") == 0;
}

static int fault(int fd) {
  int code = injected_errno();
  if (code == 0 || !is_event_log(fd)) return 0;
  const char *hits = getenv("PROVE_IO_FAULT_HITS");
  if (hits != NULL) {
    int out = (int)syscall(SYS_openat, AT_FDCWD, hits, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (out >= 0) {
      syscall(SYS_write, out, "x", 1);
      syscall(SYS_close, out);
    }
  }
  errno = code;
  return 1;
}

#define REAL(name) static __typeof__(name) *real_##name; if (!real_##name) real_##name = (__typeof__(name) *)dlsym(RTLD_NEXT, #name)

ssize_t write(int fd, const void *buf, size_t count) {
  REAL(write);
  if (fault(fd)) return -1;
  return real_write(fd, buf, count);
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset) {
  REAL(pwrite);
  if (fault(fd)) return -1;
  return real_pwrite(fd, buf, count, offset);
}

ssize_t pwrite64(int fd, const void *buf, size_t count, off64_t offset) {
  REAL(pwrite64);
  if (fault(fd)) return -1;
  return real_pwrite64(fd, buf, count, offset);
}

int fsync(int fd) {
  REAL(fsync);
  if (fault(fd)) return -1;
  return real_fsync(fd);
}

int fdatasync(int fd) {
  REAL(fdatasync);
  if (fault(fd)) return -1;
  return real_fdatasync(fd);
}
