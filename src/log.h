// The log: a side module every step may call; it calls nothing back.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "settings.h"

namespace oci {

/// What the log knows about the runtime call being handled.
struct CallContext {
  std::string command;       // runtime COMMAND, e.g. "create"
  std::string container_id;  // empty when the call names none
  std::string bundle;        // empty unless the call is intercepted
  std::string runtime;       // runtime-path as configured
  std::string hostname;      // from config.json, when it was read
  std::vector<std::string> argv;  // forwarded arguments, without argv[0]
  // create/run/restore only: containerd mixes stderr into `state` output,
  // and an exec's stderr is the process's.
  bool warnings_to_stderr = false;
};

/// The configs of an intercepted call, for debug output.
struct ConfigSnapshots {
  std::string original;  // config.json bytes as found
  std::string parsed;    // as parsed, before the rules
  std::string modified;  // after the rules; empty when nothing changed
};

/// A log target. Implementations never throw, never write to stdout, and
/// swallow their own failures (a logging failure never fails a container).
class Log {
 public:
  virtual ~Log() = default;
  /// An intercepted call whose config.json was changed (info).
  virtual void Changed(const CallContext& call, const std::vector<std::string>& changes) = 0;
  /// A failure of ours (err); message is what reached stderr.
  virtual void Error(const CallContext& call, const std::string& message) = 0;
  /// With write-debug-output: the configs of an intercepted call (debug).
  virtual void Configs(const CallContext& call, const ConfigSnapshots& configs) = 0;
  /// With write-debug-output: one forwarded call (debug).
  virtual void Forwarded(const CallContext& call) = 0;
};

/// The log target the settings select (auto: journald when its socket exists).
std::unique_ptr<Log> OpenLog(const Settings& settings);

/// What OpenLog would open now: "journald" or "file".
const char* LogTargetInUse(const Settings& settings);

}  // namespace oci
