// oci-interceptor's executable: a launcher that links only libc. On a call
// that changes nothing (every passthrough call, and create/run/restore with
// no rule and no debug output) it execs the runtime itself, reading the
// --oi-* options and the config file with the core's exact rules. Everything
// else -- rules, debug output, our own actions, and any error or doubt -- is
// handed to the C++ core, loaded as a module, so the core stays the one
// place that decides and words every message. See docs/performance.md.
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core_module.h"
#include "fast_config.h"
#include "fast_runtime.h"

// Mirrors kDefaultConfigPath of src/config_file.cpp.
static const char kDefaultConfigPath[] = "/etc/oci-interceptor.conf";
static const char kSelfExe[] = "/proc/self/exe";

enum HasArg { kNoArgument, kRequiredArgument, kOptionalArgument };

// Our options (the table of src/cli.cpp). Only settings and --oi-config are
// handled here; any other option is an action of the core.
struct OurOption {
  const char* name;  // without "--oi-"
  enum HasArg has_arg;
  bool fast;         // a setting key or --oi-config
};

static const struct OurOption kOptions[] = {
    {"runtime-path", kRequiredArgument, true},
    {"readonly-networking-mounts", kOptionalArgument, true},
    {"env", kRequiredArgument, true},
    {"env-force", kRequiredArgument, true},
    {"env-unset", kRequiredArgument, true},
    {"exec-env", kOptionalArgument, true},
    {"readonly-mount", kRequiredArgument, true},
    {"bind-mount", kRequiredArgument, true},
    {"mask-path", kRequiredArgument, true},
    {"readonly-path", kRequiredArgument, true},
    {"drop-capability", kRequiredArgument, true},
    {"no-new-privileges", kOptionalArgument, true},
    {"pids-limit", kRequiredArgument, true},
    {"hook", kRequiredArgument, true},
    {"write-debug-output", kOptionalArgument, true},
    {"debug-output-dir", kRequiredArgument, true},
    {"log-target", kRequiredArgument, true},
    {"on-error", kRequiredArgument, true},
    {"config", kRequiredArgument, true},
    {"check-config", kNoArgument, false},
    {"version", kNoArgument, false},
    {"help", kNoArgument, false},
    {"register", kRequiredArgument, false},
    {"unregister", kRequiredArgument, false},
    {"docker-config", kRequiredArgument, false},
    {"runtime-name", kRequiredArgument, false},
    {"set-default", kNoArgument, false},
    {"dry-run", kNoArgument, false},
};

// The option named exactly [name, name + length), or NULL.
static const struct OurOption* FindOption(const char* name, size_t length) {
  for (size_t i = 0; i < sizeof kOptions / sizeof kOptions[0]; ++i) {
    if (strlen(kOptions[i].name) == length && memcmp(kOptions[i].name, name, length) == 0) {
      return &kOptions[i];
    }
  }
  return NULL;
}

// Runtime global options that take a value (src/cli.cpp, src/invocation.cpp);
// name ends at '=' or NUL.
static bool GlobalTakesValue(const char* name) {
  static const char* const kValued[] = {"root", "log", "log-format", "log-level",
                                        "criu", "rootless", "cgroup-manager"};
  size_t length = strcspn(name, "=");
  for (size_t i = 0; i < sizeof kValued / sizeof kValued[0]; ++i) {
    if (strlen(kValued[i]) == length && memcmp(kValued[i], name, length) == 0) return true;
  }
  return false;
}

static bool IsOneOf(const char* word, const char* const* words, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    if (strcmp(words[i], word) == 0) return true;
  }
  return false;
}

// IsRuntimeCommand() of src/invocation.cpp; runc's own come first.
static const char* const kCommands[] = {
    "checkpoint", "create", "delete", "events", "exec", "features", "init", "kill", "list",
    "pause", "ps", "restore", "resume", "run", "spec", "start", "state", "update", "help", "h",
    // crun, youki, runsc
    "mounts", "info", "completion", "boot", "gofer", "wait", "debug", "do", "install",
    "uninstall", "port-forward", "symbolize", "tar", "flags", "syscalls", "usage"};
static const size_t kRuncCommands = 20;

// Only runc's commands are finished here: any other word where COMMAND
// stands is the core's to read.
static bool IsRuncCommand(const char* word) { return IsOneOf(word, kCommands, kRuncCommands); }

// RuntimeGlobalValueFollows() of src/invocation.cpp.
static bool GlobalValueFollows(const char* option, const char* next) {
  static const char* const kFlags[] = {"debug", "systemd-cgroup", "help", "h", "version", "v"};
  static const char* const kRootless[] = {"true", "false", "auto"};
  if (strchr(option, '=') || option[0] != '-' || option[1] == '\0') return false;
  const char* name = option + (option[1] == '-' ? 2 : 1);
  if (strcmp(name, "rootless") == 0) return IsOneOf(next, kRootless, 3);
  if (GlobalTakesValue(name)) return true;
  return !IsOneOf(name, kFlags, sizeof kFlags / sizeof kFlags[0]) && next[0] != '\0' &&
         next[0] != '-' && !IsOneOf(next, kCommands, sizeof kCommands / sizeof kCommands[0]);
}

// A word ParseBool() of src/settings.cpp reads, in any case.
static bool IsBoolWord(const char* word) {
  static const char* const kWords[] = {"true", "false", "yes", "no", "on", "off", "1", "0"};
  for (size_t i = 0; i < sizeof kWords / sizeof kWords[0]; ++i) {
    if (strcasecmp(kWords[i], word) == 0) return true;
  }
  return false;
}

// True when the program name may select a config profile
// ("oci-interceptor-NAME"): the core decides which file that is.
static bool NamesProfile(const char* argv0) {
  static const char kPrefix[] = "oci-interceptor-";
  const char* slash = strrchr(argv0, '/');
  const char* base = slash ? slash + 1 : argv0;
  return strncmp(base, kPrefix, sizeof kPrefix - 1) == 0 && strlen(base) > sizeof kPrefix - 1;
}

// One --oi-KEY VALUE of the command line, applied after the config file.
struct CliSetting {
  const char* key;
  const char* value;
};

// What the forwarded arguments say (ParseInvocation of src/invocation.cpp).
struct Call {
  bool known;        // no COMMAND, or one of runc's
  bool intercepted;  // create, run or restore
  bool exec;         // exec: its --process file may be rewritten
  const char* log_path;
  const char* log_format;
};

static struct Call ReadCall(char* const* args, int count) {
  struct Call call = {true, false, false, NULL, "text"};
  int i = 0;
  for (; i < count; ++i) {
    const char* token = args[i];
    if (strcmp(token, "--") == 0) {  // "-- run ...": the command follows
      ++i;
      break;
    }
    if (token[0] != '-' || token[1] == '\0') break;
    const char* name = token + (token[1] == '-' ? 2 : 1);
    const char* eq = strchr(token, '=');
    const char* value = eq ? eq + 1 : "";
    if (i + 1 < count && GlobalValueFollows(token, args[i + 1])) value = args[++i];
    size_t length = eq ? (size_t)(eq - name) : strlen(name);
    if (length == 3 && memcmp(name, "log", 3) == 0) call.log_path = value;
    if (length == 10 && memcmp(name, "log-format", 10) == 0) call.log_format = value;
  }
  if (i < count) {
    const char* command = args[i];
    call.known = IsRuncCommand(command);
    call.intercepted = strcmp(command, "create") == 0 || strcmp(command, "run") == 0 ||
                       strcmp(command, "restore") == 0;
    call.exec = strcmp(command, "exec") == 0;
  }
  if (call.log_path && !*call.log_path) call.log_path = NULL;
  return call;
}

int main(int argc, char** argv) {
  // forwarded[0] is the runtime; forwarded[1..] is argv minus our options.
  char** forwarded = calloc((size_t)argc + 2, sizeof *forwarded);
  struct CliSetting* cli = calloc((size_t)argc + 1, sizeof *cli);
  int forwarded_count = 1, cli_count = 0;
  const char* config_path = NULL;
  bool fast = argc >= 1 && forwarded && cli && !NamesProfile(argv[0]) &&
              !FastCameBackFromRuntime();  // a loop: the core reports it

  // Split argv as pass 1 of ParseCommandLine: ours up to the runtime's
  // COMMAND. It runs to the end even when the core will take over, so a
  // load failure can still reach the runtime's --log.
  int i = 1;
  for (; forwarded && cli && i < argc; ++i) {
    char* token = argv[i];
    if (strncmp(token, "--oi-", 5) == 0) {
      const char* name = token + 5;
      const char* eq = strchr(name, '=');
      const struct OurOption* option = FindOption(name, eq ? (size_t)(eq - name) : strlen(name));
      if (!option) {
        fast = false;  // unknown: the core reports it
        continue;
      }
      const char* value = eq ? eq + 1 : "true";
      if (option->has_arg == kRequiredArgument && !eq) {
        if (i + 1 >= argc) {
          fast = false;
          continue;
        }
        value = argv[++i];
      }
      // "--oi-exec-env true": a boolean word is the value (src/cli.cpp).
      if (option->has_arg == kOptionalArgument && !eq && i + 1 < argc && IsBoolWord(argv[i + 1])) {
        value = argv[++i];
      }
      if (!option->fast || (option->has_arg == kNoArgument && eq)) {
        fast = false;  // an action of the core, or a misused option
      } else if (strcmp(option->name, "config") == 0) {
        config_path = value;
        if (!*value) fast = false;  // an empty path: the core reports it
      } else {
        cli[cli_count].key = option->name;
        cli[cli_count++].value = value;
      }
    } else if (token[0] == '-' && token[1] != '\0' && strcmp(token, "--") != 0) {
      forwarded[forwarded_count++] = token;
      // One or two dashes, as runtimes (and ReadCall) read options: "---root" is no "root".
      if (i + 1 < argc && GlobalValueFollows(token, argv[i + 1])) {
        forwarded[forwarded_count++] = argv[++i];
      }
    } else {
      break;  // the runtime's COMMAND: it and everything after are the runtime's
    }
  }
  for (; forwarded && i < argc; ++i) forwarded[forwarded_count++] = argv[i];

  struct Call call = {false, false, false, NULL, "text"};
  if (forwarded) call = ReadCall(forwarded + 1, forwarded_count - 1);
  if (!call.known) fast = false;

  // Settings: defaults < config file < command line (LoadSettings).
  struct FastSettings settings = {.runtime_path = "runc"};
  if (fast) {
    const char* env_config = getenv("OCI_INTERCEPTOR_CONFIG");
    bool explicit_path = true;
    const char* path = config_path ? config_path
                       : env_config && *env_config ? env_config
                                                   : (explicit_path = false, kDefaultConfigPath);
    fast = FastLoadConfigFile(&settings, path, explicit_path, geteuid() == 0);
  }
  for (int c = 0; fast && c < cli_count; ++c) {
    fast = FastSetItem(&settings, cli[c].key, cli[c].value);
  }

  // Only a call that changes nothing and logs nothing is ours to finish.
  bool rewrites = (call.intercepted && FastAnyRule(&settings)) ||
                  (call.exec && FastExecEnv(&settings));
  if (fast && !settings.write_debug_output && !rewrites) {
    char runtime[PATH_MAX];
    if (FastResolveRuntime(settings.runtime_path, getenv("PATH"), kSelfExe, runtime,
                           sizeof runtime)) {
      forwarded[0] = runtime;
      FastMarkRuntimeExec();
      execv(runtime, forwarded);
      // Failed: the core tries again and reports why.
    }
  }

  free(settings.file_text);
  free(forwarded);  // call's strings point into argv, not into these arrays
  free(cli);
  char self[PATH_MAX];
  ssize_t length = readlink(kSelfExe, self, sizeof self - 1);
  self[length > 0 ? length : 0] = '\0';
  return RunCore(argc, argv, self, call.log_path, call.log_format);
}
