#include "rule_plan.h"

#include <algorithm>

#include "policy_rules.h"

namespace oci {

namespace {

template <typename T>
bool Names(const std::vector<T>& entries, const std::string& name) {
  return std::any_of(entries.begin(), entries.end(), [&](const T& e) { return e.name == name; });
}

bool Lists(const std::vector<ListEntry>& entries, const std::string& value) {
  return std::any_of(entries.begin(), entries.end(),
                     [&](const ListEntry& e) { return e.value == value; });
}

// One step per entry of a list key, applying fn to that entry's value.
template <typename Fn>
void AddListSteps(const char* key, const std::vector<ListEntry>& entries, Fn fn,
                  std::vector<RuleStep>* steps) {
  for (const ListEntry& entry : entries) {
    std::string value = entry.value;
    steps->push_back({std::string(key) + " " + value,
                      [fn, value](Json::Value* spec, Changes* changes, std::string* err) {
                        return fn(spec, std::vector<std::string>{value}, changes, err);
                      }});
  }
}

}  // namespace

std::vector<RuleStep> PlanEnvRules(const Settings& settings) {
  std::vector<RuleStep> steps;
  for (const ListEntry& entry : settings.env_unset) {
    if (Names(settings.env, entry.value) || Names(settings.env_force, entry.value)) continue;
    AddListSteps("env-unset", {entry}, UnsetEnv, &steps);
  }
  for (const EnvRule& rule : settings.env) {
    if (Names(settings.env_force, rule.name)) continue;  // env-force wins
    bool replace = Lists(settings.env_unset, rule.name);
    steps.push_back({"env " + rule.name,
                     [rule, replace](Json::Value* spec, Changes* changes, std::string* err) {
                       return replace ? ApplyEnvForced(spec, {rule}, changes, err)
                                      : ApplyEnvDefaults(spec, {rule}, changes, err);
                     }});
  }
  for (const EnvRule& rule : settings.env_force) {
    steps.push_back({"env-force " + rule.name,
                     [rule](Json::Value* spec, Changes* changes, std::string* err) {
                       return ApplyEnvForced(spec, {rule}, changes, err);
                     }});
  }
  return steps;
}

std::vector<RuleStep> PlanRules(const Settings& settings, bool with_env) {
  std::vector<RuleStep> steps;
  // Mounts are added first, so the read-only rules also reach them (and a
  // second pass finds nothing left to do).
  for (const BindMount& mount : settings.bind_mounts) {
    steps.push_back({"bind-mount " + mount.Text(),
                     [mount](Json::Value* spec, Changes* changes, std::string* err) {
                       return AddBindMounts(spec, {mount}, changes, err);
                     }});
  }
  if (settings.readonly_networking_mounts) {
    for (const char* path : kNetworkingFiles) {
      steps.push_back({std::string("readonly-networking-mounts ") + path,
                       [path](Json::Value* spec, Changes* changes, std::string* err) {
                         return MakeMountReadonly(spec, path, changes, err);
                       }});
    }
  }
  AddListSteps(
      "readonly-mount", settings.readonly_mounts,
      [](Json::Value* spec, const std::vector<std::string>& paths, Changes* changes,
         std::string* err) { return MakeMountReadonly(spec, paths[0], changes, err); },
      &steps);
  AddListSteps("mask-path", settings.mask_paths, AddMaskedPaths, &steps);
  AddListSteps("readonly-path", settings.readonly_paths, AddReadonlyPaths, &steps);
  AddListSteps("drop-capability", settings.drop_capabilities, DropCapabilities, &steps);
  if (settings.no_new_privileges) {
    steps.push_back({"no-new-privileges", ForceNoNewPrivileges});
  }
  if (settings.pids_limit > 0) {
    long long limit = settings.pids_limit;
    steps.push_back({"pids-limit " + std::to_string(limit),
                     [limit](Json::Value* spec, Changes* changes, std::string* err) {
                       return CapPidsLimit(spec, limit, changes, err);
                     }});
  }
  for (const Hook& hook : settings.hooks) {
    steps.push_back({"hook " + hook.Text(),
                     [hook](Json::Value* spec, Changes* changes, std::string* err) {
                       return AddHooks(spec, {hook}, changes, err);
                     }});
  }
  if (!with_env) return steps;
  for (RuleStep& step : PlanEnvRules(settings)) steps.push_back(std::move(step));
  return steps;
}

bool ApplySteps(const std::vector<RuleStep>& steps, Json::Value* spec, Changes* changes,
                std::string* err) {
  for (const RuleStep& step : steps) {
    if (!step.apply(spec, changes, err)) return false;
  }
  return true;
}

}  // namespace oci
