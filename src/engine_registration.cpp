#include "engine_registration.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "atomic_file.h"
#include "containerd_config.h"
#include "crio_config.h"
#include "error_report.h"
#include "file_util.h"
#include "podman_config.h"
#include "settings_loader.h"

namespace oci {

namespace {

constexpr char kProgram[] = "oci-interceptor";

int Fail(const std::string& message) {
  std::fputs(StderrLine(message).c_str(), stderr);
  return 1;
}

void Say(FILE* stream, const std::string& message) {
  std::fprintf(stream, "oci-interceptor: %s\n", message.c_str());
}

std::string Resolved(const std::string& path) {
  char resolved[PATH_MAX];
  return realpath(path.c_str(), resolved) ? std::string(resolved) : std::string();
}

// Reads path into file; a missing file is not an error. Symlinks are refused:
// replacing one would turn it into a regular file.
bool ReadExisting(const std::string& path, ExistingFile* file, std::string* err) {
  file->path = path;
  ReadPolicy policy;
  policy.follow_symlink = false;
  policy.missing_ok = true;
  policy.symlink_hint = ": name its target";
  return ReadRegularFile(path, policy, &file->text, &file->exists, nullptr, err);
}

// mkdir -p for a drop-in's directory, 0755.
bool MakeDirectories(const std::string& dir, std::string* err) {
  for (size_t slash = dir.find('/', 1);; slash = dir.find('/', slash + 1)) {
    std::string part = dir.substr(0, slash);
    if (mkdir(part.c_str(), 0755) == 0) {
      chmod(part.c_str(), 0755);  // whatever the umask: engines read it as other users
    } else if (errno != EEXIST) {
      *err = "cannot create directory " + part + ": " + strerror(errno);
      return false;
    }
    if (slash == std::string::npos) return true;
  }
}

// The drop-in file each engine would hold for handler.
std::string DropInPath(const RegistrationRequest& request, const std::string& engine,
                       const std::string& handler) {
  if (engine == "containerd") return ContainerdDropInPath(request.containerd_config, handler);
  if (engine == "podman") return PodmanDropInPath(request.podman_dir, handler);
  if (engine == "crio") return CrioDropInPath(request.crio_dir, handler);
  return "";
}

bool BuildPlan(const RegistrationRequest& request, const std::string& handler,
               const std::string& binary, const IsThisBinary& is_this_binary, EnginePlan* plan,
               std::string* err) {
  const std::string& engine = request.engine;
  ExistingFile dropin;
  if (!ReadExisting(DropInPath(request, engine, handler), &dropin, err)) return false;
  if (engine == "podman") {
    return PlanPodman(dropin, handler, binary, request.unregister, is_this_binary, plan, err);
  }
  if (engine == "crio") {
    return PlanCrio(dropin, handler, binary, request.unregister, is_this_binary, plan, err);
  }
  ContainerdFiles files;
  files.dropin = dropin;
  return ReadExisting(request.containerd_config, &files.main, err) &&
         PlanContainerd(files, handler, binary, request.unregister, is_this_binary, plan, err);
}

bool Apply(const FileEdit& edit, std::string* err) {
  if (edit.remove) {
    if (unlink(edit.path.c_str()) == 0 || errno == ENOENT) return true;
    *err = "cannot remove " + edit.path + ": " + strerror(errno);
    return false;
  }
  return MakeDirectories(DirName(edit.path), err) &&
         ReplaceFileAtomically(edit.path, edit.content, err, 0644);
}

// The symlink a profile runs through: oci-interceptor-NAME -> this binary.
struct ProfileLink {
  std::string path;
  std::string target;  // relative when beside the binary
  bool exists = false;
};

bool CheckLink(const RegistrationRequest& request, ProfileLink* link, std::string* err) {
  std::string binary_dir = DirName(request.binary_path);
  std::string dir = request.link_dir.empty() ? binary_dir : request.link_dir;
  link->path = dir + "/" + kProgram + "-" + request.profile;
  link->target = Resolved(dir) == Resolved(binary_dir)
                     ? request.binary_path.substr(binary_dir.size() + 1)
                     : request.binary_path;
  struct stat st;
  if (lstat(link->path.c_str(), &st) != 0) return true;
  link->exists = true;
  if (S_ISLNK(st.st_mode) && Resolved(link->path) == Resolved(request.binary_path)) return true;
  *err = link->path + " exists and is not a symlink to " + request.binary_path + ", left unchanged";
  return false;
}

// An engine other than request.engine still registered with handler.
std::string StillUsedBy(const RegistrationRequest& request, const std::string& handler) {
  for (const char* engine : {"containerd", "podman", "crio"}) {
    std::string path = DropInPath(request, engine, handler);
    if (request.engine != engine && access(path.c_str(), F_OK) == 0) return path;
  }
  // containerd version 2 configs hold the handler in config.toml itself.
  ExistingFile main;
  Json::Value toml;
  std::string unused;
  if (request.engine != "containerd" && ReadExisting(request.containerd_config, &main, &unused) &&
      ParseExistingToml(main, &toml, &unused) &&
      !JsonAt(toml, {"plugins", ContainerdCriPlugin(2).c_str(), "containerd", "runtimes",
                     handler.c_str()})
           .isNull()) {
    return request.containerd_config;
  }
  ExistingFile daemon;
  std::string ignored;
  Json::Value config;
  if (request.engine != "docker" && ReadExisting(request.docker_config, &daemon, &ignored) &&
      ParseDockerConfig(daemon.text, &config, &ignored) && config["runtimes"].isObject() &&
      config["runtimes"].isMember(handler)) {
    return request.docker_config;
  }
  return "";
}

std::string ApplyHint(const std::string& engine) {
  if (engine == "containerd") {
    return "restart containerd to apply (it does not reload its config): systemctl restart "
           "containerd";
  }
  if (engine == "crio") return "restart CRI-O to apply: systemctl restart crio";
  return "podman reads it on its next command";
}

}  // namespace

int RunEngineRegistration(const RegistrationRequest& request) {
  const std::string& engine = request.engine;
  if (engine != "docker" && engine != "containerd" && engine != "podman" && engine != "crio") {
    return Fail("unknown engine '" + engine + "': docker, containerd, podman or crio");
  }
  if (request.binary_path.empty() || request.binary_path[0] != '/') {
    return Fail("cannot tell the absolute path of this binary");
  }
  std::string handler = request.runtime_name;
  if (!request.profile.empty()) {
    if (!IsValidProfileName(request.profile)) {
      return Fail("invalid profile name '" + request.profile +
                  "': lowercase letters, digits and '-', at most 47 characters");
    }
    if (handler != kProgram) return Fail("--oi-profile names the handler: drop --oi-runtime-name");
    handler = std::string(kProgram) + "-" + request.profile;
  }
  if (!IsValidRuntimeName(handler)) {
    return Fail("invalid runtime name '" + handler +
                "': 1 to 63 letters, digits, '_', '.' or '-', starting with a letter or digit");
  }

  if (!request.link_dir.empty() && request.link_dir[0] != '/') {
    return Fail("--oi-link-dir must be an absolute path");
  }
  std::string err;
  ProfileLink link;
  if (!request.profile.empty() && !CheckLink(request, &link, &err)) return Fail(err);
  const std::string binary = request.profile.empty() ? request.binary_path : link.path;
  const std::string binary_real = Resolved(request.binary_path);
  IsThisBinary is_this_binary = [&](const std::string& candidate) {
    if (candidate == binary || candidate == request.binary_path) return true;
    std::string real = Resolved(candidate);
    return !real.empty() && real == binary_real;
  };
  FILE* info = request.dry_run ? stderr : stdout;
  const char* would = request.dry_run ? "would have " : "";
  bool create_link = !request.profile.empty() && !request.unregister && !link.exists;
  if (create_link) {
    if (!request.dry_run && symlink(link.target.c_str(), link.path.c_str()) != 0) {
      return Fail("cannot create symlink " + link.path + ": " + strerror(errno));
    }
    Say(info, would + std::string("created symlink ") + link.path + " -> " + link.target);
  }
  // A failed registration leaves no symlink it created behind.
  auto failed = [&](int status) {
    if (create_link && !request.dry_run && unlink(link.path.c_str()) == 0) {
      Say(info, "removed symlink " + link.path + " again");
    }
    return status;
  };
  if (!request.profile.empty() && !request.unregister) {
    std::string conf = std::string(kProfileConfigDir) + "/" + request.profile + ".conf";
    if (access(conf.c_str(), F_OK) != 0) {
      Say(info, "note: " + conf + " does not exist yet: containers of handler '" + handler +
                    "' fail until it does");
    }
  }

  int status = 0;
  if (engine == "docker") {
    RegistrationRequest docker = request;
    docker.profile.clear();
    docker.runtime_name = handler;
    docker.binary_path = binary;
    status = RunRegistration(docker);
    if (status != 0) return failed(status);
  } else {
    EnginePlan plan;
    if (!BuildPlan(request, handler, binary, is_this_binary, &plan, &err)) return failed(Fail(err));
    for (const std::string& kept : plan.kept) Say(info, kept);
    for (const FileEdit& edit : plan.edits) {
      if (request.dry_run) {
        std::printf("==> %s%s <==\n%s", edit.path.c_str(), edit.remove ? " (removed)" : "",
                    edit.content.c_str());
      } else if (!Apply(edit, &err)) {
        return failed(Fail(err));
      }
      Say(info, edit.path + ": " + would + edit.change);
    }
    if (plan.edits.empty()) {
      Say(info, request.unregister ? "handler '" + handler + "' not registered with " + engine +
                                         ": nothing changed"
                                   : "handler '" + handler + "' already registered with " +
                                         engine + ": nothing changed");
    } else if (!request.dry_run) {
      Say(info, ApplyHint(engine));
    }
  }

  if (status == 0 && request.unregister && link.exists) {
    std::string user = StillUsedBy(request, handler);
    if (!user.empty()) {
      Say(info, "kept " + link.path + ": still used by " + user);
    } else {
      Say(info, would + std::string("removed symlink ") + link.path);
      if (!request.dry_run && unlink(link.path.c_str()) != 0 && errno != ENOENT) {
        return Fail("cannot remove " + link.path + ": " + strerror(errno));
      }
    }
  }
  return status;
}

}  // namespace oci
