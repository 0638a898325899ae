// The env rules (env-unset, env, env-force) applied in one linear pass.
#pragma once

#include <json/value.h>

#include <string>

#include "rules.h"
#include "settings.h"

namespace oci {

/// Applies every env rule to spec's process.env with the same result and
/// changes as PlanEnvRules' steps run in order, but in time linear in the
/// number of entries plus rules (the steps rescan the array per rule).
bool ApplyEnvRules(const Settings& settings, Json::Value* spec, Changes* changes,
                   std::string* err);

}  // namespace oci
