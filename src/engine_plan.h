// What registering with a TOML-configured engine (containerd, podman, CRI-O)
// changes, as a plan of whole-file edits: computed by pure functions from the
// files as found, then printed (--oi-dry-run) or carried out.
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include <json/value.h>

#include "docker_config.h"  // IsThisBinary

namespace oci {

/// A file as found on disk (text empty when it does not exist).
struct ExistingFile {
  std::string path;
  bool exists = false;
  std::string text;
};

/// One planned change: a file replaced (or created) with content, or removed.
struct FileEdit {
  std::string path;
  bool remove = false;
  std::string content;
  std::string change;  // for the user, e.g. "added handler oci-interceptor"
};

/// The edits, in the order they must be made, and what was left alone.
struct EnginePlan {
  std::vector<FileEdit> edits;
  std::vector<std::string> kept;  // what was left alone on purpose, and why
};

/// The first line of every file registration writes; it marks the file ours.
std::string DropInHeader(const std::string& engine);

/// True for a name usable as a handler and in a file name: 1 to 63 of
/// [A-Za-z0-9_.-], starting with a letter or digit.
bool IsValidRuntimeName(const std::string& name);

/// True for a profile name: a lowercase DNS label of at most 47 characters,
/// so that "oci-interceptor-NAME" is a valid Kubernetes RuntimeClass handler.
bool IsValidProfileName(const std::string& name);

/// The value at keys below root, or null where a step is missing or not a
/// table (engine files are read defensively: any shape may be found).
const Json::Value& JsonAt(const Json::Value& root, std::initializer_list<const char*> keys);

/// Parses an existing file's TOML (nothing when it does not exist); err
/// names the file and says it is left unchanged.
bool ParseExistingToml(const ExistingFile& file, Json::Value* parsed, std::string* err);

/// Plans a drop-in that holds our handler only. declared_binary is the
/// runtime path the existing file declares for the handler ("" if none).
/// Register writes desired unless the file already says exactly that; unregister
/// removes it. A file that is neither marked ours nor declares this binary
/// is never replaced or removed: register fails, unregister keeps it.
bool PlanDropIn(const ExistingFile& file, const std::string& desired,
                const std::string& declared_binary, bool unregister,
                const IsThisBinary& is_this_binary, const std::string& handler,
                EnginePlan* plan, std::string* err);

}  // namespace oci
