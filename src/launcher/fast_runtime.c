#include "fast_runtime.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

// Mirrors kFallbackRuntimeDirs of src/runtime.cpp.
static const char kFallbackDirs[] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
// Mirrors kRuntimeMarkerEnv of src/runtime.cpp.
static const char kMarkerEnv[] = "_OCI_INTERCEPTOR_EXEC_PID";

static bool IsExecutableFile(const char* path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

// Reads up to size bytes; the count read, or -1.
static ssize_t ReadFull(int fd, char* buffer, size_t size) {
  size_t used = 0;
  while (used < size) {
    ssize_t n = read(fd, buffer + used, size - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    if (n == 0) break;
    used += (size_t)n;
  }
  return (ssize_t)used;
}

// True when both files can be read to the end and hold the same bytes.
static bool SameContents(const char* a, const char* b) {
  int fa = open(a, O_RDONLY | O_CLOEXEC);
  int fb = fa < 0 ? -1 : open(b, O_RDONLY | O_CLOEXEC);
  bool same = fb >= 0;
  char x[1 << 14], y[1 << 14];
  while (same) {
    ssize_t n = ReadFull(fa, x, sizeof x);
    ssize_t m = ReadFull(fb, y, sizeof y);
    if (n < 0 || m < 0 || n != m || memcmp(x, y, (size_t)n) != 0) same = false;
    if (n <= 0) break;
  }
  if (fa >= 0) close(fa);
  if (fb >= 0) close(fb);
  return same;
}

// IsSameProgram of src/runtime.cpp.
static bool IsSameProgram(const char* candidate, const char* self_exe) {
  struct stat a, b;
  if (stat(candidate, &a) != 0 || stat(self_exe, &b) != 0) return false;
  if (a.st_dev == b.st_dev && a.st_ino == b.st_ino) return true;
  if (a.st_size != b.st_size) return false;
  return SameContents(candidate, self_exe);
}

bool FastResolveRuntime(const char* runtime, const char* path_env, const char* self_exe,
                        char* resolved, size_t size) {
  if (strchr(runtime, '/')) {
    if (!IsExecutableFile(runtime) || IsSameProgram(runtime, self_exe)) return false;
    return snprintf(resolved, size, "%s", runtime) < (int)size;
  }
  const char* lists[] = {path_env ? path_env : "", kFallbackDirs};
  for (int l = 0; l < 2; ++l) {
    const char* dir = lists[l];
    for (;;) {
      const char* end = strchrnul(dir, ':');
      size_t length = (size_t)(end - dir);
      // Relative entries are a trap as root; the core skips them too.
      if (length > 0 && dir[0] == '/' &&
          snprintf(resolved, size, "%.*s/%s", (int)length, dir, runtime) < (int)size &&
          IsExecutableFile(resolved) && !IsSameProgram(resolved, self_exe)) {
        return true;
      }
      if (!*end) break;
      dir = end + 1;
    }
  }
  return false;
}

bool FastCameBackFromRuntime(void) {
  const char* marker = getenv(kMarkerEnv);
  if (!marker || !*marker) return false;
  char pid[24], parent[24];
  snprintf(pid, sizeof pid, "%ld", (long)getpid());
  snprintf(parent, sizeof parent, "%ld", (long)getppid());
  return strcmp(marker, pid) == 0 || strcmp(marker, parent) == 0;
}

void FastMarkRuntimeExec(void) {
  char pid[24];
  snprintf(pid, sizeof pid, "%ld", (long)getpid());
  setenv(kMarkerEnv, pid, 1);
}
