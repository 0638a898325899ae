// Rewriting a bundle's config.json by the rules, atomically.
#pragma once

#include <json/value.h>

#include <memory>
#include <string>

#include "log.h"
#include "rules.h"
#include "settings.h"

namespace oci {

/// What a rewrite did, for logging.
struct RewriteResult {
  Changes changes;
  std::string hostname;
  ConfigSnapshots snapshots;  // filled when keep_snapshots
  // The parsed tree, handed to the caller: freeing the nodes of a large
  // config costs milliseconds a process about to execv() need not spend.
  std::unique_ptr<Json::Value> spec;
};

/// Reads config_path, applies the rules and replaces the file only when
/// something changed. On failure the file is untouched.
bool RewriteSpec(const std::string& config_path, const Settings& settings, bool keep_snapshots,
                 RewriteResult* result, std::string* err);

/// Reads the process file of `exec --process FILE` (a process object, as
/// config.json's "process"), applies the env rules (exec-env) and replaces
/// the file only when something changed. On failure the file is untouched.
bool RewriteProcessFile(const std::string& process_path, const Settings& settings,
                        RewriteResult* result, std::string* err);

}  // namespace oci
