#include "invocation.h"

#include <utility>

namespace oci {

namespace {

// Splits "-name=value" / "--name=value" / "--name"; returns false for a
// token that is not an option.
bool SplitOption(const std::string& token, std::string* name, std::string* value,
                 bool* has_value) {
  if (token.size() < 2 || token[0] != '-' || token == "--") return false;
  size_t start = token[1] == '-' ? 2 : 1;
  size_t eq = token.find('=');
  *has_value = eq != std::string::npos;
  *name = token.substr(start, *has_value ? eq - start : std::string::npos);
  *value = *has_value ? token.substr(eq + 1) : "";
  return true;
}

bool IsOneOf(const std::string& name, std::initializer_list<const char*> names) {
  for (const char* candidate : names) {
    if (name == candidate) return true;
  }
  return false;
}

// Options of create, run and restore that take a value (runc; crun's -f).
bool CommandTakesValue(const std::string& name) {
  return IsOneOf(name, {"b", "bundle", "console-socket", "pid-file", "preserve-fds",
                        "image-path", "work-path", "parent-path", "manage-cgroups-mode",
                        "empty-ns", "lsm-profile", "lsm-mount-context", "criu", "f", "config"});
}

// Options of exec that take a value (runc, crun).
bool ExecTakesValue(const std::string& name) {
  return IsOneOf(name, {"console-socket", "cwd", "e", "env", "u", "user", "g", "additional-gids",
                        "p", "process", "pid-file", "process-label", "apparmor", "c", "cap",
                        "preserve-fds", "cgroup", "pidfd-socket"});
}

// Options of the other commands (state, start, kill, delete, ps, update,
// checkpoint, events, pause, resume) that take a value.
bool OtherTakesValue(const std::string& name) {
  return IsOneOf(name, {"f", "format", "interval", "image-path", "work-path", "parent-path",
                        "page-server", "manage-cgroups-mode", "empty-ns", "r", "resources",
                        "blkio-weight", "cpu-period", "cpu-quota", "cpu-share", "cpu-rt-period",
                        "cpu-rt-runtime", "cpuset-cpus", "cpuset-mems", "kernel-memory",
                        "kernel-memory-tcp", "memory", "memory-reservation", "memory-swap",
                        "pids-limit", "l3-cache-schema", "mem-bw-schema"});
}

// COMMAND [OPTIONS] ID [ARGS...]: sets the container ID (the first argument
// that is not an option) and returns the options before it as name -> value.
std::vector<std::pair<std::string, std::string>> ScanToContainerId(
    const std::vector<std::string>& args, size_t i, bool (*takes_value)(const std::string&),
    Invocation* call) {
  std::vector<std::pair<std::string, std::string>> options;
  for (; i < args.size(); ++i) {
    std::string name, value;
    bool has_value = false;
    if (args[i] == "--") {
      if (i + 1 < args.size()) call->container_id = args[i + 1];
      break;
    }
    if (!SplitOption(args[i], &name, &value, &has_value)) {
      call->container_id = args[i];  // what follows is the command's own
      break;
    }
    if (!has_value && takes_value(name) && i + 1 < args.size()) value = args[++i];
    options.emplace_back(name, value);
  }
  return options;
}

// exec [OPTIONS] ID [COMMAND...]: the --process file and the container ID.
void ParseExec(const std::vector<std::string>& args, size_t i, Invocation* call) {
  for (const auto& [name, value] : ScanToContainerId(args, i, ExecTakesValue, call)) {
    if (name == "p" || name == "process") call->process_path = value;
  }
}

}  // namespace

bool IsRuntimeCommand(const std::string& word) {
  return IsOneOf(word, {// runc
                        "checkpoint", "create", "delete", "events", "exec", "features", "init",
                        "kill", "list", "pause", "ps", "restore", "resume", "run", "spec",
                        "start", "state", "update", "help", "h",
                        // crun, youki, runsc
                        "mounts", "info", "completion", "boot", "gofer", "wait", "debug", "do",
                        "install", "uninstall", "port-forward", "symbolize", "tar", "flags",
                        "syscalls", "usage"});
}

bool RuntimeGlobalIsFlag(const std::string& name) {
  return IsOneOf(name, {"debug", "systemd-cgroup", "help", "h", "version", "v"});
}

bool MayBeOptionValue(const std::string& word) {
  return !word.empty() && word[0] != '-' && !IsRuntimeCommand(word);
}

bool RuntimeGlobalValueFollows(const std::string& option, const std::string& next) {
  if (option.find('=') != std::string::npos || option.size() < 2 || option[0] != '-') return false;
  std::string name = option.substr(option[1] == '-' ? 2 : 1);
  // runc's --rootless takes true, false or auto; runsc's is a flag.
  if (name == "rootless") return next == "true" || next == "false" || next == "auto";
  if (RuntimeGlobalTakesValue(name)) return true;
  // Another runtime's "--name value" (runsc --platform ptrace create ...):
  // read as the command, "ptrace" would let the create pass without rules.
  return !RuntimeGlobalIsFlag(name) && MayBeOptionValue(next);
}

bool RuntimeGlobalTakesValue(const std::string& name) {
  return IsOneOf(name, {"root", "log", "log-format", "log-level", "criu", "rootless",
                        "cgroup-manager"});
}

std::string Invocation::ConfigPath() const {
  if (!config_file.empty() && config_file[0] == '/') return config_file;
  return (bundle.empty() ? std::string(".") : bundle) + "/" +
         (config_file.empty() ? "config.json" : config_file);
}

Invocation ParseInvocation(const std::vector<std::string>& runtime_args) {
  Invocation call;
  call.args = runtime_args;
  call.log_format = "text";
  size_t i = 0;
  for (; i < runtime_args.size(); ++i) {
    std::string name, value;
    bool has_value = false;
    if (runtime_args[i] == "--") {  // runc reads "-- run ..." as "run ..."
      ++i;
      break;
    }
    if (!SplitOption(runtime_args[i], &name, &value, &has_value)) break;
    if (i + 1 < runtime_args.size() &&
        RuntimeGlobalValueFollows(runtime_args[i], runtime_args[i + 1])) {
      value = runtime_args[++i];
    }
    if (name == "log") call.log_path = value;
    if (name == "log-format") call.log_format = value;
  }
  if (i >= runtime_args.size()) return call;
  call.command = runtime_args[i++];
  call.intercepted = IsOneOf(call.command, {"create", "run", "restore"});
  if (call.command == "exec") {
    ParseExec(runtime_args, i, &call);
  } else if (!call.intercepted) {
    // Logs name the container on every call, so journalctl finds its story.
    ScanToContainerId(runtime_args, i, OtherTakesValue, &call);
  }
  if (!call.intercepted) return call;

  call.bundle = ".";
  for (; i < runtime_args.size(); ++i) {
    const std::string& token = runtime_args[i];
    std::string name, value;
    bool has_value = false;
    if (token == "--") {
      if (i + 1 < runtime_args.size() && call.container_id.empty()) {
        call.container_id = runtime_args[i + 1];
      }
      break;
    }
    if (!SplitOption(token, &name, &value, &has_value)) {
      if (call.container_id.empty()) call.container_id = token;
      continue;
    }
    if (!has_value && CommandTakesValue(name) && i + 1 < runtime_args.size()) {
      value = runtime_args[++i];
    }
    if (name == "b" || name == "bundle") call.bundle = value;
    if (name == "f" || name == "config") call.config_file = value;  // crun, relative to the bundle
  }
  return call;
}

}  // namespace oci
