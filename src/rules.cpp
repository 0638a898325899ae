#include "rules.h"

#include <algorithm>

#include "env_rules.h"
#include "mount_path.h"
#include "rule_plan.h"
#include "spec.h"

namespace oci {

namespace {

bool Fail(std::string* err, const std::string& message) {
  *err = message;
  return false;
}

// The array at parent[key] (created when absent and create is set), or null
// with *err set when it has another type.
Json::Value* ArrayMember(Json::Value* parent, const char* key, const std::string& where,
                         bool create, std::string* err) {
  if (!parent->isMember(key)) {
    if (!create) return nullptr;
    (*parent)[key] = Json::Value(Json::arrayValue);
  }
  Json::Value* member = &(*parent)[key];
  if (member->isNull() && create) *member = Json::Value(Json::arrayValue);
  if (!member->isArray()) {
    *err = where + " is not an array";
    return nullptr;
  }
  return member;
}

}  // namespace

Json::Value* ProcessEnv(Json::Value* spec, std::string* err) {
  if (!spec->isMember("process") || (*spec)["process"].isNull()) {
    (*spec)["process"] = Json::Value(Json::objectValue);
  }
  Json::Value* process = &(*spec)["process"];
  if (!process->isObject()) {
    *err = "process is not an object";
    return nullptr;
  }
  Json::Value* env = ArrayMember(process, "env", "process.env", true, err);
  if (!env) return nullptr;
  for (Json::ArrayIndex i = 0; i < env->size(); ++i) {
    if (!(*env)[i].isString()) {
      *err = "process.env[" + std::to_string(i) + "] is not a string";
      return nullptr;
    }
  }
  return env;
}

bool EnvEntryNames(const std::string& entry, const std::string& name) {
  return entry.compare(0, name.size(), name) == 0 &&
         (entry.size() == name.size() || entry[name.size()] == '=');
}

bool MakeMountReadonly(Json::Value* spec, const std::string& destination, Changes* changes,
                       std::string* err) {
  if (!spec->isMember("mounts") || (*spec)["mounts"].isNull()) return true;
  Json::Value* mounts = ArrayMember(spec, "mounts", "mounts", false, err);
  if (!mounts) return false;
  const std::string wanted = NormalizeMountPath(destination);
  // Iterators and find(): a config can hold thousands of mounts, and
  // indexing or copying each destination would dominate a rewrite.
  Json::ArrayIndex i = 0;
  for (auto it = mounts->begin(); it != mounts->end(); ++it, ++i) {
    Json::Value& mount = *it;
    auto where = [i] { return "mounts[" + std::to_string(i) + "]"; };
    if (!mount.isObject()) return Fail(err, where() + " is not an object");
    const Json::Value* target = FindMember(mount, "destination");
    if (!target) continue;
    const char* begin = nullptr;
    const char* end = nullptr;
    if (!target->isString() || !target->getString(&begin, &end)) {
      return Fail(err, where() + ".destination is not a string");
    }
    std::string_view path(begin, static_cast<size_t>(end - begin));
    // runc mounts "/etc//hosts" on /etc/hosts: such spellings must not slip by.
    if (path != wanted && (IsNormalMountPath(path) || NormalizeMountPath(path) != wanted)) continue;

    Json::Value* options = ArrayMember(&mount, "options", where() + ".options", true, err);
    if (!options) return false;
    Json::Value kept(Json::arrayValue);
    bool has_ro = false;
    for (Json::ArrayIndex j = 0; j < options->size(); ++j) {
      const Json::Value& option = (*options)[j];
      if (!option.isString()) {
        return Fail(err, where() + ".options[" + std::to_string(j) + "] is not a string");
      }
      if (option.asString() == "rw") continue;
      if (option.asString() == "ro") has_ro = true;
      kept.append(option);
    }
    if (!has_ro) kept.append("ro");
    if (kept != *options) {
      *options = kept;
      std::string change = "readonly:" + destination;
      if (std::find(changes->begin(), changes->end(), change) == changes->end()) {
        changes->push_back(change);
      }
    }
  }
  return true;
}

bool ApplyEnvDefaults(Json::Value* spec, const std::vector<EnvRule>& rules, Changes* changes,
                      std::string* err) {
  if (rules.empty()) return true;
  Json::Value* env = ProcessEnv(spec, err);
  if (!env) return false;
  for (const EnvRule& rule : rules) {
    bool present = false;
    for (const Json::Value& entry : *env) present = present || EnvEntryNames(entry.asString(), rule.name);
    if (present) continue;
    env->append(rule.name + "=" + rule.value);
    changes->push_back("env:" + rule.name);
  }
  return true;
}

bool ApplyEnvForced(Json::Value* spec, const std::vector<EnvRule>& rules, Changes* changes,
                    std::string* err) {
  if (rules.empty()) return true;
  Json::Value* env = ProcessEnv(spec, err);
  if (!env) return false;
  for (const EnvRule& rule : rules) {
    std::string wanted = rule.name + "=" + rule.value;
    // The first entry of NAME takes the value in place; later ones go.
    Json::Value kept(Json::arrayValue);
    bool placed = false;
    for (const Json::Value& entry : *env) {
      if (!EnvEntryNames(entry.asString(), rule.name)) {
        kept.append(entry);
      } else if (!placed) {
        kept.append(wanted);
        placed = true;
      }
    }
    if (!placed) kept.append(wanted);
    if (kept != *env) {
      *env = std::move(kept);
      changes->push_back("env-force:" + rule.name);
    }
  }
  return true;
}

bool ApplyRules(const Settings& settings, Json::Value* spec, Changes* changes, std::string* err) {
  err->clear();
  // The env rules run in one pass: per-rule steps would be quadratic.
  return ApplySteps(PlanRules(settings, false), spec, changes, err) &&
         ApplyEnvRules(settings, spec, changes, err);
}

}  // namespace oci
