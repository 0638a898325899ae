// Rules: pure functions that rewrite a parsed config.json. No I/O.
#pragma once

#include <json/value.h>

#include <string>
#include <vector>

#include "settings.h"

namespace oci {

/// What a rule changed, by name, never by value ("readonly:/etc/hosts",
/// "env:NAME", "env-force:NAME"): env values can be secrets.
using Changes = std::vector<std::string>;

/// The files readonly-networking-mounts makes read-only.
inline const char* const kNetworkingFiles[] = {"/etc/hosts", "/etc/hostname",
                                               "/etc/resolv.conf"};

/// process.env, created with process when absent; every entry checked to be
/// a string. Null with *err naming the path on a wrong type.
Json::Value* ProcessEnv(Json::Value* spec, std::string* err);

/// True when a process.env entry ("NAME=VALUE", or a bare "NAME") sets name.
bool EnvEntryNames(const std::string& entry, const std::string& name);

/// Makes the mount at destination read-only; a no-op when there is none.
bool MakeMountReadonly(Json::Value* spec, const std::string& destination, Changes* changes,
                       std::string* err);

/// Adds NAME=VALUE for each rule whose NAME the container does not set.
bool ApplyEnvDefaults(Json::Value* spec, const std::vector<EnvRule>& rules, Changes* changes,
                      std::string* err);

/// Sets NAME=VALUE for each rule, replacing every entry of that NAME.
bool ApplyEnvForced(Json::Value* spec, const std::vector<EnvRule>& rules, Changes* changes,
                    std::string* err);

/// Applies every rule the settings enable, in the fixed order of PlanRules
/// (rule_plan.h), which also holds the env / env-force / env-unset precedence.
bool ApplyRules(const Settings& settings, Json::Value* spec, Changes* changes, std::string* err);

}  // namespace oci
