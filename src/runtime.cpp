#include "runtime.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "file_util.h"

namespace oci {

const char kFallbackRuntimeDirs[] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
const char kRuntimeMarkerEnv[] = "_OCI_INTERCEPTOR_EXEC_PID";

namespace {

bool IsExecutableFile(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
}

bool ReadFile(const std::string& path, std::string* out) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  FileDescriptor file(fd);
  std::string err;
  return ReadAll(fd, out, &err);
}

}  // namespace

bool IsSameProgram(const std::string& candidate, const std::string& self_exe) {
  struct stat a, b;
  if (stat(candidate.c_str(), &a) != 0 || stat(self_exe.c_str(), &b) != 0) return false;
  if (a.st_dev == b.st_dev && a.st_ino == b.st_ino) return true;
  // A renamed copy: only equal sizes are worth reading (runc is megabytes, we are not).
  if (a.st_size != b.st_size) return false;
  std::string x, y;
  return ReadFile(candidate, &x) && ReadFile(self_exe, &y) && x == y;
}

bool ResolveRuntime(const std::string& runtime, const char* path_env, const std::string& self_exe,
                    std::string* resolved, std::string* err) {
  if (runtime.find('/') != std::string::npos) {
    if (!IsExecutableFile(runtime)) {
      *err = "runtime " + runtime + " is not an executable file: " +
             (access(runtime.c_str(), F_OK) == 0 ? "permission denied" : strerror(ENOENT));
      return false;
    }
    if (IsSameProgram(runtime, self_exe)) {
      *err = "runtime " + runtime +
             " is oci-interceptor itself; set runtime-path to the real runtime (e.g. runc)";
      return false;
    }
    *resolved = runtime;
    return true;
  }
  std::string dirs = std::string(path_env ? path_env : "") + ":" + kFallbackRuntimeDirs;
  bool skipped_self = false;
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string dir = dirs.substr(start, end - start);
    start = end + 1;
    if (dir.empty() || dir[0] != '/') continue;  // relative PATH entries are a trap as root
    std::string candidate = dir + "/" + runtime;
    if (!IsExecutableFile(candidate)) continue;
    if (IsSameProgram(candidate, self_exe)) {
      skipped_self = true;  // e.g. installed as "runc" ahead of the real one
      continue;
    }
    *resolved = candidate;
    return true;
  }
  *err = "runtime " + runtime + " not found in $PATH or " + kFallbackRuntimeDirs +
         (skipped_self ? " (only oci-interceptor itself has that name)" : "");
  return false;
}

bool CameBackFromRuntime() {
  const char* marker = getenv(kRuntimeMarkerEnv);
  if (!marker || !*marker) return false;
  std::string value = marker;
  return value == std::to_string(getpid()) || value == std::to_string(getppid());
}

void ExecRuntime(const std::string& path, const std::vector<std::string>& args, std::string* err) {
  setenv(kRuntimeMarkerEnv, std::to_string(getpid()).c_str(), 1);
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(path.c_str()));
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  execv(path.c_str(), argv.data());
  *err = "cannot execute runtime " + path + ": " + strerror(errno);
}

}  // namespace oci
