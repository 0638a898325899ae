#include "env_rules.h"

#include <deque>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "spec.h"

namespace oci {

namespace {

// Edits process.env in place: an index from each NAME the rules name to the
// positions that set it (views into the array's own strings), with
// replacements, removals and appends recorded and applied once at the end.
class EnvEditor {
 public:
  // Only names a rule asks about are indexed: a container may set thousands.
  EnvEditor(Json::Value* env, const std::unordered_set<std::string_view>& ruled) : env_(env) {
    Json::ArrayIndex position = 0;
    for (const Json::Value& entry : *env) {
      const char* begin = nullptr;
      const char* end = nullptr;
      entry.getString(&begin, &end);
      std::string_view text(begin, static_cast<size_t>(end - begin));
      std::string_view name = text.substr(0, text.find('='));
      if (ruled.count(name)) index_[name].push_back(position);
      ++position;
    }
    original_size_ = position;
  }

  // Removes every entry of name; true when there was one.
  bool Unset(const std::string& name) {
    auto it = index_.find(name);
    if (it == index_.end()) return false;
    for (size_t position : it->second) removed_.insert(position);
    index_.erase(it);
    return true;
  }

  // Appends NAME=VALUE unless name is set; true when appended.
  bool SetDefault(const std::string& name, const std::string& value) {
    if (index_.count(name)) return false;
    Append(name, name + "=" + value);
    return true;
  }

  // The first entry of name becomes NAME=VALUE and later ones go; true when
  // that changed anything.
  bool Force(const std::string& name, const std::string& value) {
    std::string wanted = name + "=" + value;
    auto it = index_.find(name);
    if (it == index_.end()) {
      Append(name, std::move(wanted));
      return true;
    }
    std::vector<size_t>& positions = it->second;
    bool changed = Entry(positions[0]) != wanted || positions.size() > 1;
    for (size_t i = 1; i < positions.size(); ++i) removed_.insert(positions[i]);
    positions.resize(1);
    Replace(positions[0], std::move(wanted));
    return changed;
  }

  // Writes the edits back: in place when nothing was removed, the common case.
  void Commit() {
    if (removed_.empty()) {
      for (auto& [position, text] : replaced_) (*env_)[static_cast<Json::ArrayIndex>(position)] = text;
      for (const std::string& text : appended_) env_->append(text);
      return;
    }
    Json::Value env(Json::arrayValue);
    for (size_t i = 0; i < original_size_ + appended_.size(); ++i) {
      if (!removed_.count(i)) env.append(std::string(Entry(i)));
    }
    *env_ = std::move(env);
  }

 private:
  // The current text of position (original, replaced or appended).
  std::string_view Entry(size_t position) const {
    auto replaced = replaced_.find(position);
    if (replaced != replaced_.end()) return replaced->second;
    if (position >= original_size_) return appended_[position - original_size_];
    const char* begin = nullptr;
    const char* end = nullptr;
    (*env_)[static_cast<Json::ArrayIndex>(position)].getString(&begin, &end);
    return std::string_view(begin, static_cast<size_t>(end - begin));
  }

  void Replace(size_t position, std::string text) {
    if (position >= original_size_) {
      appended_[position - original_size_] = std::move(text);
    } else {
      replaced_[position] = std::move(text);
    }
  }

  void Append(const std::string& name, std::string text) {
    names_.push_back(name);  // a stable home for the index's view
    index_[names_.back()].push_back(original_size_ + appended_.size());
    appended_.push_back(std::move(text));
  }

  Json::Value* env_;
  size_t original_size_ = 0;
  std::unordered_map<std::string_view, std::vector<size_t>> index_;
  std::deque<std::string> names_;
  std::unordered_map<size_t, std::string> replaced_;
  std::unordered_set<size_t> removed_;
  std::vector<std::string> appended_;
};

// True when spec has a process.env to edit, or a process of the wrong type
// (which ProcessEnv then reports).
bool HasEnvToEdit(const Json::Value& spec) {
  const Json::Value* process = FindMember(spec, "process");
  if (!process || process->isNull()) return false;
  if (!process->isObject()) return true;
  const Json::Value* env = FindMember(*process, "env");
  return env && !env->isNull();
}

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
  if (!sets && !HasEnvToEdit(*spec)) return true;
  Json::Value* env = ProcessEnv(spec, err);
  if (!env) return false;

  std::unordered_set<std::string_view> ruled(forced.begin(), forced.end());
  ruled.insert(defaults.begin(), defaults.end());
  ruled.insert(unset.begin(), unset.end());
  EnvEditor editor(env, ruled);
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
  if (modified) editor.Commit();
  return true;
}

}  // namespace oci
