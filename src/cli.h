// The command line: our --oi-* options, split from what is forwarded.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "registration.h"

namespace oci {

/// What the invocation asks of us.
enum class Action { kRuntimeCall, kVersion, kHelp, kCheckConfig, kRegister, kExplain };

struct CommandLine {
  Action action = Action::kRuntimeCall;
  /// Setting keys and values from --oi-KEY options, in command-line order.
  std::vector<std::pair<std::string, std::string>> settings;
  std::string config_path;  // --oi-config, empty when not given
  std::string program_name;  // argv[0]: "oci-interceptor-NAME" selects profile NAME
  std::string explain_bundle;  // --oi-explain BUNDLE_DIR
  RegistrationRequest registration;
  /// argv[1..] minus our options: runtime global options, COMMAND, its args.
  std::vector<std::string> runtime_args;
};

/// Splits argv into our options and the runtime's. Ours may appear anywhere
/// before the runtime's COMMAND; from COMMAND on nothing is ours.
bool ParseCommandLine(int argc, const char* const* argv, CommandLine* out, std::string* err);

/// The --oi-help text.
std::string UsageText();

}  // namespace oci
