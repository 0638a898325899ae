// The fuzz targets' bodies, shared by the libFuzzer targets (fuzz/*_fuzzer.cpp)
// and the corpus replay of the unit tests (tests/unit/fuzz_corpus_test.cpp).
// Each entry feeds one input to the code under test and checks invariants that
// must hold for every input; it returns an empty string, or what was violated.
// A crash, a sanitizer report or an uncaught exception is a finding as well.
#pragma once

#include <json/value.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "cli.h"
#include "config_file.h"
#include "docker_config.h"
#include "invocation.h"
#include "rules.h"
#include "settings.h"
#include "spec.h"
#include "spec_splice.h"

#ifdef OI_HAVE_FAST_CONFIG
#include <sys/mman.h>
#include <unistd.h>

extern "C" {
#include "launcher/fast_config.h"
}
#endif

namespace oci {
namespace fuzz {

/// The bytes of one fuzz input as a string.
inline std::string Bytes(const uint8_t* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

/// True when err starts with "PATH:LINE: ".
inline bool HasLocation(const std::string& err, const std::string& path) {
  if (err.compare(0, path.size() + 1, path + ":") != 0) return false;
  size_t i = path.size() + 1;
  size_t digits = 0;
  while (i < err.size() && err[i] >= '0' && err[i] <= '9') ++i, ++digits;
  return digits > 0 && err.compare(i, 2, ": ") == 0;
}

/// The settings with every rule on, set through the same keys a config file
/// uses. Keys this build does not know are skipped, so the fuzzers follow the
/// rules as they are added.
inline Settings AllRulesSettings() {
  static const char* const kItems[][2] = {
      {"readonly-networking-mounts", "true"},
      {"env", "HTTP_PROXY=http://proxy:3128"},
      {"env", "PATH=/opt/bin"},
      {"env", "EMPTY="},
      {"env", "TERM=vt100"},
      {"env-force", "TERM=dumb"},
      {"env-force", "TZ=UTC"},
      {"readonly-mount", "/etc/hosts"},
      {"readonly-mount", "/data"},
      {"mask-path", "/proc/kcore"},
      {"readonly-path", "/proc/sys"},
      {"drop-capability", "CAP_SYS_ADMIN"},
      {"drop-capability", "net_raw"},
      {"no-new-privileges", "true"},
      {"pids-limit", "512"},
      {"bind-mount", "/srv/certs:/etc/ssl/certs:ro"},
      {"hook", "prestart:/usr/bin/true:arg"},
      {"env-unset", "LD_PRELOAD"},
      {"exec-env", "true"},
  };
  Settings settings;
  for (const auto& item : kItems) {
    if (!FindSettingKey(item[0])) continue;
    std::string ignored;
    settings.SetItem(item[0], item[1], Origin::Default(), &ignored);
  }
  return settings;
}

/// Applies the rules of settings to config.json text and checks that the
/// result is a fixpoint: it re-parses, serialises to itself, and applying the
/// rules again changes nothing. A failed rule must say why.
inline std::string CheckRules(const Settings& settings, const std::string& text) {
  Json::Value spec;
  std::string err;
  if (!ParseSpec(text, &spec, &err)) {
    return err.empty() ? "ParseSpec failed without a message" : "";
  }
  const Json::Value parsed = spec;
  Changes changes;
  if (!ApplyRules(settings, &spec, &changes, &err)) {
    return err.empty() ? "ApplyRules failed without a message" : "";
  }
  if (changes.empty() && spec != parsed) return "rules changed the spec but reported no change";
  std::string out = SerializeSpec(spec);
  Json::Value again;
  if (!ParseSpec(out, &again, &err)) return "rewritten config.json does not parse: " + err;
  if (SerializeSpec(again) != out) return "serialisation is not a fixpoint";
  // What is written to disk: the original text with the edits spliced in.
  Json::Value spliced;
  if (!ParseSpec(SpliceSpec(text, spec), &spliced, &err)) {
    return "spliced config.json does not parse: " + err;
  }
  if (SerializeSpec(spliced) != out) return "spliced config.json differs from the rules' result";
  Changes second;
  if (!ApplyRules(settings, &again, &second, &err)) return "rules fail on their own output: " + err;
  if (!second.empty()) return "rules are not idempotent: second pass changed " + second[0];
  if (SerializeSpec(again) != out) return "second pass changed the spec without reporting it";
  return "";
}

/// The launcher reads the config file itself and execs the runtime when it
/// sees nothing to do: it may hand more to the core than needed, but must
/// never accept a file the core refuses, or see fewer rules than the core.
inline std::string CheckLauncherAgrees(const std::string& text, bool core_ok,
                                       const Settings& core) {
#ifdef OI_HAVE_FAST_CONFIG
  int fd = memfd_create("oi-fuzz-config", MFD_CLOEXEC);
  if (fd < 0) return "";
  bool written = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  std::string path = "/proc/self/fd/" + std::to_string(fd);
  FastSettings fast{};
  fast.runtime_path = "runc";
  bool fast_ok = written && FastLoadConfigFile(&fast, path.c_str(), true, false);
  close(fd);
  std::string violation;
  if (fast_ok && !core_ok) {
    violation = "launcher accepts a config file the core refuses";
  } else if (fast_ok && core.AnyRuleEnabled() && !FastAnyRule(&fast)) {
    violation = "launcher sees no rule where the core applies one";
  } else if (fast_ok && core.ExecEnvEnabled() && !FastExecEnv(&fast)) {
    violation = "launcher misses exec-env";
  } else if (fast_ok && core.write_debug_output && !fast.write_debug_output) {
    violation = "launcher misses write-debug-output";
  } else if (fast_ok && core.runtime_path != fast.runtime_path) {
    violation = "launcher runs " + std::string(fast.runtime_path) + ", the core " +
                core.runtime_path;
  }
  free(fast.file_text);
  return violation;
#else
  (void)text, (void)core_ok, (void)core;
  return "";
#endif
}

/// config_file_fuzzer: ParseConfigText + ApplyConfigEntries into Settings,
/// the launcher's reading of the same text, then the resulting rules on a
/// realistic config.json.
inline std::string ConfigFileInput(const std::string& text) {
  const std::string path = "/etc/oci-interceptor.conf";
  std::vector<ConfigEntry> entries;
  std::string err;
  Settings settings;
  if (!ParseConfigText(path, text, &entries, &err)) {
    if (!HasLocation(err, path)) return "parse error without PATH:LINE: " + err;
    return CheckLauncherAgrees(text, false, settings);
  }
  int last_line = 0;
  for (const ConfigEntry& entry : entries) {
    if (entry.line <= last_line) return "entry line numbers do not increase";
    last_line = entry.line;
    if (entry.key.empty()) return "entry with an empty key";
    if (entry.key.find('\n') != std::string::npos || entry.value.find('\n') != std::string::npos) {
      return "entry holds a newline";
    }
    if (entry.key.find('\0') != std::string::npos || entry.value.find('\0') != std::string::npos) {
      return "entry holds a NUL byte";
    }
  }
  bool applied = ApplyConfigEntries(path, entries, &settings, &err);
  if (!applied && !HasLocation(err, path)) return "config error without PATH:LINE: " + err;
  std::string launcher = CheckLauncherAgrees(text, applied, settings);
  if (!launcher.empty() || !applied) return launcher;
  settings.Describe();
  static const char kSpec[] =
      R"({"ociVersion":"1.0.2","process":{"args":["sh"],"env":["PATH=/bin","TERM=xterm"],)"
      R"("cwd":"/","capabilities":{"bounding":["CAP_SYS_ADMIN","CAP_NET_RAW"]}},)"
      R"("root":{"path":"rootfs"},"hostname":"h","mounts":[{"destination":"/etc/hosts",)"
      R"("type":"bind","source":"/x/hosts","options":["rbind","rw"]}],"linux":{}})";
  return CheckRules(settings, kSpec);
}

/// Splits a fuzz input at NUL bytes into argv[1..] (at most 256 arguments).
inline std::vector<std::string> SplitArgs(const std::string& data) {
  std::vector<std::string> args;
  size_t start = 0;
  while (start <= data.size() && args.size() < 256) {
    size_t end = data.find('\0', start);
    if (end == std::string::npos) end = data.size();
    args.push_back(data.substr(start, end - start));
    start = end + 1;
  }
  if (!args.empty() && args.back().empty() && !data.empty() && data.back() == '\0') {
    args.pop_back();  // a trailing NUL ends the last argument
  }
  return args;
}

/// True when small is a subsequence of big.
inline bool IsSubsequence(const std::vector<std::string>& small,
                          const std::vector<std::string>& big) {
  size_t j = 0;
  for (const std::string& s : big) {
    if (j < small.size() && small[j] == s) ++j;
  }
  return j == small.size();
}

/// Where ParseInvocation finds the COMMAND in args: the first j whose prefix
/// holds only global options and whose next argument is read as the command
/// (args.size() when there is none; an empty COMMAND is not looked for).
inline size_t CommandIndex(const std::vector<std::string>& args) {
  for (size_t j = 0; j < args.size(); ++j) {
    std::vector<std::string> before(args.begin(), args.begin() + j);
    if (!ParseInvocation(before).command.empty()) break;
    before.push_back(args[j]);
    if (!args[j].empty() && ParseInvocation(before).command == args[j]) return j;
  }
  return args.size();
}

/// command_line_fuzzer: ParseCommandLine + ParseInvocation on NUL-split argv.
inline std::string CommandLineInput(const std::string& data) {
  std::vector<std::string> args = SplitArgs(data);
  std::vector<const char*> argv = {"oci-interceptor"};
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  const int argc = static_cast<int>(argv.size());
  argv.push_back(nullptr);

  CommandLine cli;
  std::string err;
  bool ok = ParseCommandLine(argc, argv.data(), &cli, &err);
  if (!ok && err.empty()) return "ParseCommandLine failed without a message";
  CommandLine again;
  std::string err_again;
  bool ok_again = ParseCommandLine(argc, argv.data(), &again, &err_again);
  if (ok != ok_again || err != err_again || again.runtime_args != cli.runtime_args ||
      again.settings != cli.settings || again.action != cli.action) {
    return "ParseCommandLine gives another result the second time";
  }
  if (!IsSubsequence(cli.runtime_args, args)) return "forwarded arguments are not argv's, in order";

  Invocation call = ParseInvocation(cli.runtime_args);
  if (call.args != cli.runtime_args) return "invocation does not forward the arguments as given";
  if (call.intercepted != (call.command == "create" || call.command == "run" ||
                           call.command == "restore")) {
    return "intercepted does not match the command";
  }
  if (!call.command.empty()) {
    // From COMMAND on, nothing is ours: the forwarded tail is argv's tail.
    size_t at = CommandIndex(call.args);
    if (at == call.args.size()) return "command is not one of the forwarded arguments";
    size_t tail = call.args.size() - at;
    if (tail > args.size() || !std::equal(call.args.begin() + at, call.args.end(),
                                          args.end() - tail)) {
      return "an argument after the runtime's COMMAND was taken: " + call.command;
    }
  }
  if (call.intercepted && call.bundle.empty() && call.config_file.empty() &&
      call.ConfigPath() != "./config.json") {
    return "empty bundle does not default to the working directory";
  }
  for (const auto& item : cli.settings) {
    if (!FindSettingKey(item.first)) return "unknown setting key passed on: " + item.first;
    Settings settings;
    std::string set_err;
    bool set = settings.SetItem(item.first, item.second, Origin::CommandLine(), &set_err);
    if (!set && set_err.empty()) return "SetItem failed without a message";
#ifdef OI_HAVE_FAST_CONFIG
    FastSettings fast{};
    if (FastSetItem(&fast, item.first.c_str(), item.second.c_str()) && !set) {
      return "launcher accepts --oi-" + item.first + " " + item.second + ", the core does not";
    }
#endif
  }
  return "";
}

/// rules_fuzzer: ParseSpec + ApplyRules with every rule on, then the
/// round-trip invariants of CheckRules.
inline std::string RulesInput(const std::string& text) {
  static const Settings settings = AllRulesSettings();
  return CheckRules(settings, text);
}

/// daemon_json_fuzzer: the daemon.json registration merge. Register keeps
/// every other key, is idempotent, and unregister undoes it; a refusal
/// changes nothing and says why.
inline std::string DaemonJsonInput(const std::string& text) {
  const std::string self = "/usr/bin/oci-interceptor";
  const std::string name = "oci-interceptor";
  IsThisBinary is_self = [&](const std::string& path) { return path == self; };
  Json::Value daemon;
  std::string err;
  if (!ParseDockerConfig(text, &daemon, &err)) {
    return err.empty() ? "ParseDockerConfig failed without a message" : "";
  }
  if (!daemon.isObject()) return "parsed daemon.json is not an object";
  const Json::Value original = daemon;

  // Unregistering from the file as found never throws and keeps it an object.
  Json::Value removed = original;
  DockerConfigChanges unregister_changes;
  UnregisterDockerRuntime(&removed, name, is_self, &unregister_changes);
  if (!removed.isObject()) return "unregister left a non-object";

  for (bool set_default : {false, true}) {
    daemon = original;
    DockerConfigChanges changes;
    if (!RegisterDockerRuntime(&daemon, name, self, set_default, is_self, &changes, &err)) {
      if (err.empty()) return "register refused without a message";
      if (daemon != original) return "a refused register changed daemon.json";
      continue;
    }
    const Json::Value* entry = daemon["runtimes"].find(name.data(), name.data() + name.size());
    if (!entry || !(*entry)["path"].isString() || (*entry)["path"].asString() != self) {
      return "register did not set runtimes." + name + ".path";
    }
    if (set_default && daemon["default-runtime"] != Json::Value(name)) {
      return "register did not set default-runtime";
    }
    for (const std::string& key : original.getMemberNames()) {
      if (key != "runtimes" && key != "default-runtime" && daemon[key] != original[key]) {
        return "register changed an unrelated key: " + key;
      }
    }
    std::string out = SerializeDockerConfig(daemon);
    Json::Value reread;
    if (!ParseDockerConfig(out, &reread, &err)) return "written daemon.json does not parse: " + err;
    if (reread != daemon) return "written daemon.json reads back differently";
    DockerConfigChanges second;
    if (!RegisterDockerRuntime(&reread, name, self, set_default, is_self, &second, &err)) {
      return "register refuses its own output: " + err;
    }
    if (!second.changed.empty()) return "register is not idempotent: " + second.changed[0];
    DockerConfigChanges undo;
    UnregisterDockerRuntime(&reread, name, is_self, &undo);
    const std::string runtimes_key = "runtimes";
    const Json::Value* runtimes =
        reread.find(runtimes_key.data(), runtimes_key.data() + runtimes_key.size());
    if (runtimes && runtimes->isMember(name)) return "unregister left our entry";
    if (reread.isMember("default-runtime") && reread["default-runtime"] == Json::Value(name)) {
      return "unregister left default-runtime naming our entry";
    }
  }
  return "";
}

}  // namespace fuzz
}  // namespace oci
