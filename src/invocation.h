// The runtime call we were asked to make: its command, bundle and --log.
#pragma once

#include <string>
#include <vector>

namespace oci {

struct Invocation {
  std::string command;        // runtime COMMAND; empty when there is none
  bool intercepted = false;   // create, run or restore: config.json is rewritten
  std::string bundle;         // bundle directory; "." by default, as runc's
  std::string config_file;    // crun's create/run --config FILE; empty: config.json
  std::string container_id;   // first argument after the command's options
  std::string process_path;   // exec's --process FILE (exec-env); empty otherwise
  std::string log_path;       // the runtime's --log FILE, if given
  std::string log_format;     // the runtime's --log-format, "text" by default
  std::vector<std::string> args;  // everything forwarded to the runtime

  /// BUNDLE/config.json, or the --config file (relative to the bundle).
  std::string ConfigPath() const;
};

/// True for a COMMAND of runc, crun, youki or runsc.
bool IsRuntimeCommand(const std::string& word);

/// True for a word that is neither an option nor a runtime COMMAND, so it may
/// be the value of the option before it.
bool MayBeOptionValue(const std::string& word);

/// True for a global option of runc (and crun, youki) that takes a value, by
/// its name without dashes, so the token after it is not taken for COMMAND.
bool RuntimeGlobalTakesValue(const std::string& name);

/// True for a global option of runc and crun that takes no value.
bool RuntimeGlobalIsFlag(const std::string& name);

/// True when next is the value of option, a runtime global option without
/// "=": one of runc's that takes a value (--rootless only true, false or
/// auto: runsc's is a flag), or one runc does not know given as "--name
/// value" (runsc --platform ptrace) where next is no option and no command.
bool RuntimeGlobalValueFollows(const std::string& option, const std::string& next);

/// Reads the forwarded arguments as runc's command line does.
Invocation ParseInvocation(const std::vector<std::string>& runtime_args);

}  // namespace oci
