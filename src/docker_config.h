// Docker's daemon.json as a Json::Value: our runtime entry added or removed.
// Pure functions, no I/O; registration.cpp reads and writes the file.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <json/value.h>

namespace oci {

/// True when a runtime path found in daemon.json names this binary.
using IsThisBinary = std::function<bool(const std::string& path)>;

/// What a change to daemon.json did and did not do, as lines for the user.
struct DockerConfigChanges {
  std::vector<std::string> changed;  // e.g. "added runtimes.oci-interceptor"
  std::vector<std::string> kept;     // what was left alone on purpose, and why
};

/// Parses daemon.json text strictly (as Docker does); blank text is {}.
/// err is jsoncpp's reason with line and column, on one line.
bool ParseDockerConfig(const std::string& text, Json::Value* daemon, std::string* err);

/// Serialises daemon.json with 4-space indentation and a final newline.
std::string SerializeDockerConfig(const Json::Value& daemon);

/// Sets runtimes.NAME.path to path (other keys of the entry are kept) and,
/// with set_default, default-runtime to NAME. Fails, changing nothing, when
/// daemon.json's shape does not allow it (e.g. runtimes is not an object).
bool RegisterDockerRuntime(Json::Value* daemon, const std::string& name, const std::string& path,
                           bool set_default, const IsThisBinary& is_this_binary,
                           DockerConfigChanges* changes, std::string* err);

/// Removes runtimes.NAME if its path is this binary (and runtimes if that
/// leaves it empty), then resets default-runtime to "runc" if it names NAME
/// (a missing key would not reset a running dockerd on reload). Anything else
/// is left as it is and reported in changes->kept.
void UnregisterDockerRuntime(Json::Value* daemon, const std::string& name,
                             const IsThisBinary& is_this_binary, DockerConfigChanges* changes);

}  // namespace oci
