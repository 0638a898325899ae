// Policy rules: pure functions that rewrite a parsed config.json (or, for the
// env rules, a process object wrapped as {"process": ...}). No I/O. Each is
// idempotent, creates the sections it writes, and reports a wrong type by its
// JSON path. Change names never hold values.
#pragma once

#include <json/value.h>

#include <string>
#include <vector>

#include "rules.h"
#include "settings.h"

namespace oci {

/// Adds each path to linux.maskedPaths unless listed ("mask:PATH").
bool AddMaskedPaths(Json::Value* spec, const std::vector<std::string>& paths, Changes* changes,
                    std::string* err);

/// Adds each path to linux.readonlyPaths unless listed ("readonly-path:PATH").
bool AddReadonlyPaths(Json::Value* spec, const std::vector<std::string>& paths,
                      Changes* changes, std::string* err);

/// Removes each CAP_X from every set of process.capabilities ("cap-drop:CAP_X").
bool DropCapabilities(Json::Value* spec, const std::vector<std::string>& capabilities,
                      Changes* changes, std::string* err);

/// Sets process.noNewPrivileges to true ("no-new-privileges").
bool ForceNoNewPrivileges(Json::Value* spec, Changes* changes, std::string* err);

/// Sets linux.resources.pids.limit to limit when it is unset, unlimited (<= 0)
/// or above limit ("pids-limit").
bool CapPidsLimit(Json::Value* spec, long long limit, Changes* changes, std::string* err);

/// Appends a bind mount for each entry whose destination is not already a
/// mount target ("bind:DST").
bool AddBindMounts(Json::Value* spec, const std::vector<BindMount>& mounts, Changes* changes,
                   std::string* err);

/// Appends each hook to hooks.STAGE unless an equal hook is there ("hook:STAGE").
bool AddHooks(Json::Value* spec, const std::vector<Hook>& hooks, Changes* changes,
              std::string* err);

/// Removes every entry of each NAME from process.env ("env-unset:NAME").
bool UnsetEnv(Json::Value* spec, const std::vector<std::string>& names, Changes* changes,
              std::string* err);

}  // namespace oci
