// Effective settings: built-in defaults < config file < command line.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace oci {

/// Where a setting's value came from, for --oi-check-config and error messages.
struct Origin {
  enum Kind { kDefault, kFile, kCommandLine };
  Kind kind = kDefault;
  std::string file;
  int line = 0;

  static Origin Default() { return Origin{}; }
  static Origin File(const std::string& path, int line) { return Origin{kFile, path, line}; }
  static Origin CommandLine() { return Origin{kCommandLine, "", 0}; }
  /// "default", "PATH:LINE" or "command line".
  std::string Describe() const;
};

enum class LogTarget { kAuto, kJournald, kFile };
enum class OnError { kFail, kPassthrough };

/// One NAME=VALUE rule of env or env-force, with where it was set.
struct EnvRule {
  std::string name;
  std::string value;
  Origin origin;
};

/// One entry of a list key (paths, capability names, variable names), with
/// where it was set.
struct ListEntry {
  std::string value;
  Origin origin;
};

/// A bind-mount entry: SRC:DST[:ro|rw].
struct BindMount {
  std::string source;
  std::string destination;
  bool readonly = false;
  Origin origin;
  /// "SRC:DST:ro" or "SRC:DST".
  std::string Text() const;
};

/// A hook entry: STAGE:PATH[:ARG...]; args become the hook's args verbatim.
struct Hook {
  std::string stage;  // as the runtime spec spells it, e.g. "prestart"
  std::string path;
  std::vector<std::string> args;
  Origin origin;
  /// "STAGE:PATH[:ARG...]".
  std::string Text() const;
};

/// The value type of a setting key, which decides how its value is parsed.
/// kList is a NAME=VALUE list (env, env-force).
enum class KeyType {
  kString,
  kBool,
  kList,
  kLogTarget,
  kOnError,
  kPathList,
  kCapList,
  kNameList,
  kPositiveInt,
  kBindList,
  kHookList,
};

struct Settings;

/// A key settable from the config file and as --oi-KEY on the command line.
struct SettingKey {
  const char* name;
  KeyType type;
  const char* help;
  /// The value's placeholder in --oi-help, e.g. "PATH"; empty for booleans.
  const char* arg;
  /// Parses value into settings; the error names the value, not the key.
  bool (*set)(Settings* settings, const std::string& value, const Origin& origin,
              std::string* err);
  /// Appends the key's "key = value  # origin" lines to out.
  void (*describe)(const Settings& settings, const char* key, std::string* out);
};

/// Every setting key, in the order --oi-check-config prints them.
const std::vector<SettingKey>& SettingKeys();

/// Looks a key up by name; null when unknown.
const SettingKey* FindSettingKey(const std::string& name);

struct Settings {
  std::string runtime_path = "runc";
  bool readonly_networking_mounts = false;
  std::vector<EnvRule> env;
  std::vector<EnvRule> env_force;
  bool write_debug_output = false;
  std::string debug_output_dir = "/var/log/oci-interceptor";
  LogTarget log_target = LogTarget::kAuto;
  OnError on_error = OnError::kFail;
  std::vector<ListEntry> readonly_mounts;    // readonly-mount, clean absolute paths
  std::vector<ListEntry> mask_paths;         // mask-path
  std::vector<ListEntry> readonly_paths;     // readonly-path
  std::vector<ListEntry> drop_capabilities;  // drop-capability, as CAP_X
  bool no_new_privileges = false;
  long long pids_limit = 0;  // pids-limit; 0 when not set
  std::vector<BindMount> bind_mounts;        // bind-mount, one per destination
  std::vector<Hook> hooks;                   // hook
  std::vector<ListEntry> env_unset;          // env-unset
  bool exec_env = false;                     // env rules also on exec --process

  /// Origin of each scalar key that is not at its default.
  std::map<std::string, Origin> origins;

  /// Sets one key from one layer; a later call overrides an earlier one, and a
  /// list entry replaces an earlier entry of the same NAME. The error has no
  /// location: the caller prefixes it.
  bool SetItem(const std::string& key, const std::string& value, const Origin& origin,
               std::string* err);

  /// True when some rule would change a config.json.
  bool AnyRuleEnabled() const;

  /// True when exec-env is on and some env rule is set: `exec --process FILE`
  /// gets the env rules.
  bool ExecEnvEnabled() const;

  /// Every effective setting as "key = value  # origin" lines.
  std::string Describe() const;
};

/// Parses a boolean as the config file accepts it (true/false, yes/no, on/off, 1/0).
bool ParseBool(const std::string& text, bool* value);

/// Splits NAME=VALUE; the NAME must be non-empty and hold no '=' or NUL.
bool ParseEnvAssignment(const std::string& text, std::string* name, std::string* value,
                        std::string* err);

}  // namespace oci
