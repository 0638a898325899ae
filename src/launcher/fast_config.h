// The few settings the launcher needs to exec the runtime itself, read from
// the --oi-* options and the config file exactly as the C++ core reads them.
// Anything it cannot fully validate makes it hand the call to the core.
#ifndef OCI_INTERCEPTOR_LAUNCHER_FAST_CONFIG_H_
#define OCI_INTERCEPTOR_LAUNCHER_FAST_CONFIG_H_

#include <stdbool.h>

/// What the fast path needs of the effective settings.
struct FastSettings {
  const char* runtime_path;  // points into argv or into file_text
  bool readonly;             // readonly-networking-mounts
  bool no_new_privileges;
  bool env_rules;            // at least one env, env-force or env-unset entry
  bool other_rules;          // an entry of any other rule list, or pids-limit
  bool exec_env;
  bool write_debug_output;
  char* file_text;           // the config file's bytes (owned), or NULL
};

/// Applies one "key = value" setting as the core's Settings::SetItem would;
/// false when the core would reject it (or the key is unknown).
bool FastSetItem(struct FastSettings* settings, const char* key, const char* value);

/// True when some rule would change a config.json (Settings::AnyRuleEnabled).
bool FastAnyRule(const struct FastSettings* settings);

/// True when exec --process files are rewritten (Settings::ExecEnvEnabled).
bool FastExecEnv(const struct FastSettings* settings);

/// Reads and applies the config file at path. false when the core would
/// report an error (missing file that must exist, unsafe mode as root, bad
/// line, unknown key, bad value) or the file cannot be read.
bool FastLoadConfigFile(struct FastSettings* settings, const char* path, bool must_exist,
                        bool refuse_unsafe);

#endif  // OCI_INTERCEPTOR_LAUNCHER_FAST_CONFIG_H_
