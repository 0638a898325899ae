#include "registration.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "atomic_file.h"
#include "docker_config.h"
#include "engine_plan.h"
#include "engine_registration.h"
#include "error_report.h"
#include "file_util.h"

namespace oci {

namespace {

// daemon.json as found on disk.
struct ConfigFile {
  bool exists = false;
  std::string text;
};

int Fail(const std::string& message) {
  std::fputs(StderrLine(message).c_str(), stderr);
  return 1;
}

// Reads path; a missing file is not an error. A symlink is refused: replacing
// it would turn it into a regular file behind its manager's back.
bool ReadConfigFile(const std::string& path, ConfigFile* file, std::string* err) {
  ReadPolicy policy;
  policy.follow_symlink = false;
  policy.missing_ok = true;
  policy.symlink_hint = ": pass its target with --oi-docker-config";
  return ReadRegularFile(path, policy, &file->text, &file->exists, nullptr, err);
}

// Creates the file's directory (one level, e.g. /etc/docker before Docker
// is installed) so that registering first and installing Docker later works.
bool EnsureParentDirectory(const std::string& path, std::string* err) {
  std::string dir = DirName(path);
  if (mkdir(dir.c_str(), 0755) == 0) {
    chmod(dir.c_str(), 0755);  // whatever the umask: other users' tools read it
    return true;
  }
  if (errno == EEXIST) return true;
  *err = "cannot create directory " + dir + ": " + strerror(errno);
  return false;
}

std::string RealPath(const std::string& path) {
  char resolved[PATH_MAX];
  return realpath(path.c_str(), resolved) ? std::string(resolved) : std::string();
}

void Say(FILE* stream, const std::string& message) {
  std::fprintf(stream, "oci-interceptor: %s\n", message.c_str());
}

}  // namespace

int RunRegistration(const RegistrationRequest& request) {
  // containerd, podman, CRI-O and profiles: drop-ins and symlinks there.
  if (request.engine != "docker" || !request.profile.empty()) {
    return RunEngineRegistration(request);
  }
  if (!IsValidRuntimeName(request.runtime_name)) {
    return Fail("invalid runtime name '" + request.runtime_name +
                "': 1 to 63 letters, digits, '_', '.' or '-', starting with a letter or digit");
  }
  if (request.runtime_name == "runc") {
    return Fail("--oi-runtime-name runc: Docker reserves the name 'runc' for its own runtime");
  }
  if (request.docker_config.empty()) return Fail("--oi-docker-config must not be empty");
  if (request.binary_path.empty() || request.binary_path[0] != '/') {
    return Fail("cannot tell the absolute path of this binary");
  }
  const std::string& path = request.docker_config;

  ConfigFile file;
  std::string err;
  if (!ReadConfigFile(path, &file, &err)) return Fail(err + " (left unchanged)");
  Json::Value daemon;
  if (!ParseDockerConfig(file.text, &daemon, &err)) {
    return Fail(path + " is not valid JSON, left unchanged: " + err);
  }

  const std::string binary = request.binary_path;
  const std::string binary_real = RealPath(binary);
  IsThisBinary is_this_binary = [&](const std::string& candidate) {
    if (candidate == binary) return true;
    std::string real = RealPath(candidate);
    return !real.empty() && real == binary_real;
  };

  DockerConfigChanges changes;
  if (request.unregister) {
    if (file.exists) UnregisterDockerRuntime(&daemon, request.runtime_name, is_this_binary, &changes);
  } else if (!RegisterDockerRuntime(&daemon, request.runtime_name, binary, request.set_default,
                                    is_this_binary, &changes, &err)) {
    return Fail("cannot register in " + path + ", left unchanged: " + err);
  }

  // With --oi-dry-run stdout holds only the would-be file.
  FILE* info = request.dry_run ? stderr : stdout;
  std::string new_text = SerializeDockerConfig(daemon);
  if (request.dry_run && (file.exists || !changes.changed.empty())) {
    std::fputs(new_text.c_str(), stdout);
  }
  for (const std::string& kept : changes.kept) Say(info, path + ": " + kept);
  if (changes.changed.empty()) {
    if (request.unregister && !file.exists) {
      Say(info, path + " does not exist: nothing to unregister");
    } else if (!request.unregister) {
      Say(info, "runtime '" + request.runtime_name + "' already registered in " + path +
                    ": nothing changed");
    }
    return 0;
  }
  if (!request.dry_run) {
    if (!file.exists && !EnsureParentDirectory(path, &err)) return Fail(err);
    if (!ReplaceFileAtomically(path, new_text, &err, 0644)) {
      return Fail("cannot update " + path + ", left unchanged: " + err);
    }
  }
  // Said once the file is written, so a failed write never reads as done.
  const char* would = request.dry_run ? "would have " : "";
  for (const std::string& change : changes.changed) {
    Say(info, path + ": " + would + change);
  }
  if (request.dry_run) return 0;
  Say(info, "reload dockerd to apply: systemctl reload docker, or kill -HUP $(pidof dockerd)");
  return 0;
}

}  // namespace oci
