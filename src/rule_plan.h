// The rules the settings enable, as an ordered list of steps, one per rule
// and value: ApplyRules runs them, --oi-explain shows what each one changes.
#pragma once

#include <json/value.h>

#include <functional>
#include <string>
#include <vector>

#include "rules.h"
#include "settings.h"

namespace oci {

/// One rule applied for one value.
struct RuleStep {
  std::string label;  // the key and its value, e.g. "mask-path /proc/kcore"
  std::function<bool(Json::Value* spec, Changes* changes, std::string* err)> apply;
};

/// Every step of the enabled rules, in the order they apply: mounts first
/// (bind-mount, then readonly-networking-mounts and readonly-mount, so both
/// also reach bind-mount's), then paths, capabilities,
/// no-new-privileges, pids-limit, hooks, and the env rules last (unless
/// with_env is false: ApplyRules runs those in one pass, see env_rules.h).
std::vector<RuleStep> PlanRules(const Settings& settings, bool with_env = true);

/// The env rules only (env-unset, env, env-force), as exec-env applies them.
/// A NAME both unset and set by env is replaced, as env-force does; a NAME
/// env-force sets is not unset first.
std::vector<RuleStep> PlanEnvRules(const Settings& settings);

/// Runs the steps in order; stops at the first error.
bool ApplySteps(const std::vector<RuleStep>& steps, Json::Value* spec, Changes* changes,
                std::string* err);

}  // namespace oci
