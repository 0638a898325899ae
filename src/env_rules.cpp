#include "env_rules.h"

#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace oci {

namespace {

// process.env as a list of live entries plus an index from NAME to the
// positions that set it.
class EnvEditor {
 public:
  explicit EnvEditor(const Json::Value& env) {
    for (const Json::Value& entry : env) Append(entry.asString());
  }

  // Removes every entry of name; true when there was one.
  bool Unset(const std::string& name) {
    auto it = index_.find(name);
    if (it == index_.end()) return false;
    for (size_t position : it->second) live_[position] = false;
    index_.erase(it);
    return true;
  }

  // Appends NAME=VALUE unless name is set; true when appended.
  bool SetDefault(const std::string& name, const std::string& value) {
    if (index_.count(name)) return false;
    Append(name + "=" + value);
    return true;
  }

  // The first entry of name becomes NAME=VALUE and later ones go; true when
  // that changed anything.
  bool Force(const std::string& name, const std::string& value) {
    std::string wanted = name + "=" + value;
    auto it = index_.find(name);
    if (it == index_.end()) {
      Append(wanted);
      return true;
    }
    std::vector<size_t>& positions = it->second;
    bool changed = entries_[positions[0]] != wanted || positions.size() > 1;
    entries_[positions[0]] = wanted;
    for (size_t i = 1; i < positions.size(); ++i) live_[positions[i]] = false;
    positions.resize(1);
    return changed;
  }

  Json::Value ToJson() const {
    Json::Value env(Json::arrayValue);
    for (size_t i = 0; i < entries_.size(); ++i) {
      if (live_[i]) env.append(entries_[i]);
    }
    return env;
  }

 private:
  void Append(std::string entry) {
    index_[entry.substr(0, entry.find('='))].push_back(entries_.size());
    entries_.push_back(std::move(entry));
    live_.push_back(true);
  }

  std::vector<std::string> entries_;
  std::vector<bool> live_;
  std::unordered_map<std::string, std::vector<size_t>> index_;
};

// Records a change once; always true, since the caller changed the array.
bool AddChange(Changes* changes, std::unordered_set<std::string>* seen, std::string change) {
  if (seen->insert(change).second) changes->push_back(std::move(change));
  return true;
}

}  // namespace

bool ApplyEnvRules(const Settings& settings, Json::Value* spec, Changes* changes,
                   std::string* err) {
  bool sets = !settings.env.empty() || !settings.env_force.empty();
  if (!sets && settings.env_unset.empty()) return true;

  std::unordered_set<std::string> forced, defaults, unset;
  for (const EnvRule& rule : settings.env_force) forced.insert(rule.name);
  for (const EnvRule& rule : settings.env) defaults.insert(rule.name);
  for (const ListEntry& entry : settings.env_unset) unset.insert(entry.value);

  // Unset alone never creates process or process.env; setting does.
  Json::Value* process = nullptr;
  if (spec->isMember("process") && !(*spec)["process"].isNull()) {
    process = &(*spec)["process"];
  } else if (sets) {
    process = &((*spec)["process"] = Json::Value(Json::objectValue));
  } else {
    return true;
  }
  if (!process->isObject()) {
    *err = "process is not an object";
    return false;
  }
  if (!process->isMember("env") || (*process)["env"].isNull()) {
    if (!sets) return true;
    (*process)["env"] = Json::Value(Json::arrayValue);
  }
  Json::Value& env = (*process)["env"];
  if (!env.isArray()) {
    *err = "process.env is not an array";
    return false;
  }
  for (Json::ArrayIndex i = 0; i < env.size(); ++i) {
    if (!env[i].isString()) {
      *err = "process.env[" + std::to_string(i) + "] is not a string";
      return false;
    }
  }

  EnvEditor editor(env);
  std::unordered_set<std::string> seen(changes->begin(), changes->end());
  bool modified = false;
  for (const ListEntry& entry : settings.env_unset) {
    const std::string& name = entry.value;
    if (defaults.count(name) || forced.count(name)) continue;  // set again below
    if (editor.Unset(name)) modified = AddChange(changes, &seen, "env-unset:" + name);
  }
  for (const EnvRule& rule : settings.env) {
    if (forced.count(rule.name)) continue;  // env-force wins
    if (unset.count(rule.name)) {
      // Unset then set is a replacement, as env-force does it.
      if (editor.Force(rule.name, rule.value)) {
        modified = AddChange(changes, &seen, "env-force:" + rule.name);
      }
    } else if (editor.SetDefault(rule.name, rule.value)) {
      modified = AddChange(changes, &seen, "env:" + rule.name);
    }
  }
  for (const EnvRule& rule : settings.env_force) {
    if (editor.Force(rule.name, rule.value)) {
      modified = AddChange(changes, &seen, "env-force:" + rule.name);
    }
  }
  if (modified) env = editor.ToJson();
  return true;
}

}  // namespace oci
