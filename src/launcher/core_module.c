#include "core_module.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

// Set by CMake: the module's directory relative to the installed binary's,
// and its file name.
#ifndef OI_MODULE_RELDIR
#error "OI_MODULE_RELDIR must be defined"
#endif
#ifndef OI_MODULE_NAME
#error "OI_MODULE_NAME must be defined"
#endif

typedef int (*CoreMain)(int argc, const char* const* argv);

// JSON string contents of text into out (size bytes), as the core quotes it.
static void JsonEscape(const char* text, char* out, size_t size) {
  size_t used = 0;
  for (const unsigned char* p = (const unsigned char*)text; *p && used + 7 < size; ++p) {
    if (*p == '"' || *p == '\\') {
      out[used++] = '\\';
      out[used++] = (char)*p;
    } else if (*p < 0x20) {
      used += (size_t)snprintf(out + used, size - used, "\\u%04x", *p);
    } else {
      out[used++] = (char)*p;
    }
  }
  out[used] = '\0';
}

// One error line in the runtime's log format, so the engine shows it
// (the format of src/error_report.cpp).
static void AppendLogLine(const char* log_path, const char* log_format, const char* message) {
  char escaped[2048], seconds[32], line[2304];
  struct timespec now;
  struct tm utc;
  clock_gettime(CLOCK_REALTIME, &now);
  gmtime_r(&now.tv_sec, &utc);
  strftime(seconds, sizeof seconds, "%Y-%m-%dT%H:%M:%S", &utc);
  JsonEscape(message, escaped, sizeof escaped);
  int length =
      strcmp(log_format, "json") == 0
          ? snprintf(line, sizeof line,
                     "{\"level\":\"error\",\"msg\":\"oci-interceptor: %s\",\"time\":\"%s.%09ldZ\"}\n",
                     escaped, seconds, now.tv_nsec)
          : snprintf(line, sizeof line, "time=\"%s.%09ldZ\" level=error msg=\"oci-interceptor: %s\"\n",
                     seconds, now.tv_nsec, escaped);
  // LogFileOf() of src/error_report.cpp: crun's "file:" / "journald:" / "syslog:".
  if (strncmp(log_path, "file:", 5) == 0) log_path += 5;
  if (strncmp(log_path, "journald:", 9) == 0 || strncmp(log_path, "syslog:", 7) == 0 || !*log_path) {
    return;
  }
  int fd = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return;
  if (length > 0 && write(fd, line, (size_t)length < sizeof line ? (size_t)length : sizeof line - 1) < 0) {
    // nothing more to do: stderr already has it
  }
  close(fd);
}

int RunCore(int argc, char** argv, const char* self_exe, const char* log_path,
            const char* log_format) {
  // The install layout first (bindir/../lib/.../oci-interceptor/), then the
  // build tree's (the module next to the binary).
  char dir[PATH_MAX], path[PATH_MAX + 256], first_error[1024] = "";
  snprintf(dir, sizeof dir, "%s", self_exe);
  char* slash = strrchr(dir, '/');
  if (slash) *slash = '\0';
  const char* layouts[] = {"/" OI_MODULE_RELDIR "/", "/"};
  for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; ++i) {
    snprintf(path, sizeof path, "%s%s%s", dir, layouts[i], OI_MODULE_NAME);
    void* module = dlopen(path, RTLD_LAZY | RTLD_LOCAL);
    if (!module) {
      if (!first_error[0]) snprintf(first_error, sizeof first_error, "%s", dlerror());
      continue;
    }
    CoreMain core_main = (CoreMain)dlsym(module, OI_CORE_ENTRY);
    if (core_main) return core_main(argc, (const char* const*)argv);
    snprintf(first_error, sizeof first_error, "%.900s: no %s", path, OI_CORE_ENTRY);
    break;
  }
  char message[1200];
  snprintf(message, sizeof message, "cannot load the core module (installation broken?): %s",
           first_error);
  dprintf(STDERR_FILENO, "oci-interceptor: error: %s\n", message);
  if (log_path) AppendLogLine(log_path, log_format, message);
  return 1;
}
