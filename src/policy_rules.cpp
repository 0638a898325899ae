#include "policy_rules.h"

#include <algorithm>

#include "mount_path.h"

namespace oci {

namespace {

bool Fail(std::string* err, const std::string& message) {
  *err = message;
  return false;
}

// parent[key] as an object, created when absent or null; null with *err set
// when it has another type.
Json::Value* ObjectAt(Json::Value* parent, const char* key, const std::string& where,
                      std::string* err) {
  Json::Value* member = &(*parent)[key];
  if (member->isNull()) *member = Json::Value(Json::objectValue);
  if (member->isObject()) return member;
  *err = where + " is not an object";
  return nullptr;
}

// parent[key] as an array, created when absent or null; when strings is set,
// every element must be a string.
Json::Value* ArrayAt(Json::Value* parent, const char* key, const std::string& where,
                     bool strings, std::string* err) {
  Json::Value* member = &(*parent)[key];
  if (member->isNull()) *member = Json::Value(Json::arrayValue);
  if (!member->isArray()) {
    *err = where + " is not an array";
    return nullptr;
  }
  for (Json::ArrayIndex i = 0; strings && i < member->size(); ++i) {
    if (!(*member)[i].isString()) {
      *err = where + "[" + std::to_string(i) + "] is not a string";
      return nullptr;
    }
  }
  return member;
}

// True when parent has key with a non-null value.
bool Has(const Json::Value& parent, const char* key) {
  return parent.isObject() && parent.isMember(key) && !parent[key].isNull();
}

void AddChange(Changes* changes, const std::string& change) {
  if (std::find(changes->begin(), changes->end(), change) == changes->end()) {
    changes->push_back(change);
  }
}

bool Contains(const Json::Value& array, const Json::Value& value) {
  return std::find(array.begin(), array.end(), value) != array.end();
}

bool AddLinuxPaths(Json::Value* spec, const char* member, const std::string& change_prefix,
                   const std::vector<std::string>& paths, Changes* changes, std::string* err) {
  if (paths.empty()) return true;
  Json::Value* linux = ObjectAt(spec, "linux", "linux", err);
  Json::Value* list = linux ? ArrayAt(linux, member, std::string("linux.") + member, true, err)
                            : nullptr;
  if (!list) return false;
  for (const std::string& path : paths) {
    if (Contains(*list, path)) continue;
    list->append(path);
    AddChange(changes, change_prefix + path);
  }
  return true;
}

}  // namespace

bool AddMaskedPaths(Json::Value* spec, const std::vector<std::string>& paths, Changes* changes,
                    std::string* err) {
  return AddLinuxPaths(spec, "maskedPaths", "mask:", paths, changes, err);
}

bool AddReadonlyPaths(Json::Value* spec, const std::vector<std::string>& paths,
                      Changes* changes, std::string* err) {
  return AddLinuxPaths(spec, "readonlyPaths", "readonly-path:", paths, changes, err);
}

bool DropCapabilities(Json::Value* spec, const std::vector<std::string>& capabilities,
                      Changes* changes, std::string* err) {
  // Without process.capabilities the process has none to drop.
  if (capabilities.empty() || !Has(*spec, "process")) return true;
  if (!(*spec)["process"].isObject()) return Fail(err, "process is not an object");
  if (!Has((*spec)["process"], "capabilities")) return true;
  Json::Value* sets = &(*spec)["process"]["capabilities"];
  if (!sets->isObject()) return Fail(err, "process.capabilities is not an object");
  for (const char* set : {"bounding", "effective", "inheritable", "permitted", "ambient"}) {
    if (!Has(*sets, set)) continue;
    Json::Value* list = ArrayAt(sets, set, std::string("process.capabilities.") + set, true, err);
    if (!list) return false;
    for (const std::string& capability : capabilities) {
      Json::Value kept(Json::arrayValue);
      for (const Json::Value& entry : *list) {
        if (entry.asString() != capability) kept.append(entry);
      }
      if (kept.size() == list->size()) continue;
      *list = std::move(kept);
      AddChange(changes, "cap-drop:" + capability);
    }
  }
  return true;
}

bool ForceNoNewPrivileges(Json::Value* spec, Changes* changes, std::string* err) {
  Json::Value* process = ObjectAt(spec, "process", "process", err);
  if (!process) return false;
  Json::Value* flag = &(*process)["noNewPrivileges"];
  if (!flag->isNull() && !flag->isBool()) {
    return Fail(err, "process.noNewPrivileges is not a boolean");
  }
  if (flag->isBool() && flag->asBool()) return true;
  *flag = true;
  AddChange(changes, "no-new-privileges");
  return true;
}

bool CapPidsLimit(Json::Value* spec, long long limit, Changes* changes, std::string* err) {
  Json::Value* linux = ObjectAt(spec, "linux", "linux", err);
  Json::Value* resources = linux ? ObjectAt(linux, "resources", "linux.resources", err) : nullptr;
  Json::Value* pids = resources ? ObjectAt(resources, "pids", "linux.resources.pids", err)
                                : nullptr;
  if (!pids) return false;
  Json::Value* current = &(*pids)["limit"];
  if (!current->isNull() && !current->isInt64() && !current->isUInt64()) {
    return Fail(err, "linux.resources.pids.limit is not an integer");
  }
  // (a value beyond int64 is above any limit)
  if (current->isInt64() && current->asInt64() > 0 && current->asInt64() <= limit) return true;
  *current = Json::Value(static_cast<Json::Int64>(limit));
  AddChange(changes, "pids-limit");
  return true;
}

bool AddBindMounts(Json::Value* spec, const std::vector<BindMount>& mounts, Changes* changes,
                   std::string* err) {
  if (mounts.empty()) return true;
  Json::Value* list = ArrayAt(spec, "mounts", "mounts", false, err);
  if (!list) return false;
  std::vector<std::string> targets;
  for (Json::ArrayIndex i = 0; i < list->size(); ++i) {
    const Json::Value& mount = (*list)[i];
    std::string where = "mounts[" + std::to_string(i) + "]";
    if (!mount.isObject()) return Fail(err, where + " is not an object");
    if (!Has(mount, "destination")) continue;
    if (!mount["destination"].isString()) return Fail(err, where + ".destination is not a string");
    targets.push_back(NormalizeMountPath(mount["destination"].asString()));
  }
  for (const BindMount& bind : mounts) {
    if (std::find(targets.begin(), targets.end(), bind.destination) != targets.end()) continue;
    Json::Value mount(Json::objectValue);
    mount["destination"] = bind.destination;
    mount["type"] = "bind";
    mount["source"] = bind.source;
    mount["options"].append("rbind");
    mount["options"].append("rprivate");
    mount["options"].append(bind.readonly ? "ro" : "rw");
    list->append(mount);
    targets.push_back(bind.destination);
    AddChange(changes, "bind:" + bind.destination);
  }
  return true;
}

bool AddHooks(Json::Value* spec, const std::vector<Hook>& hooks, Changes* changes,
              std::string* err) {
  if (hooks.empty()) return true;
  Json::Value* stages = ObjectAt(spec, "hooks", "hooks", err);
  if (!stages) return false;
  for (const Hook& hook : hooks) {
    Json::Value* list = ArrayAt(stages, hook.stage.c_str(), "hooks." + hook.stage, false, err);
    if (!list) return false;
    Json::Value entry(Json::objectValue);
    entry["path"] = hook.path;
    for (const std::string& arg : hook.args) entry["args"].append(arg);
    if (Contains(*list, entry)) continue;
    list->append(entry);
    AddChange(changes, "hook:" + hook.stage);
  }
  return true;
}

bool UnsetEnv(Json::Value* spec, const std::vector<std::string>& names, Changes* changes,
              std::string* err) {
  if (names.empty() || !Has(*spec, "process")) return true;
  if (!(*spec)["process"].isObject()) return Fail(err, "process is not an object");
  if (!Has((*spec)["process"], "env")) return true;
  Json::Value* env = ArrayAt(&(*spec)["process"], "env", "process.env", true, err);
  if (!env) return false;
  for (const std::string& name : names) {
    Json::Value kept(Json::arrayValue);
    for (const Json::Value& entry : *env) {
      if (!EnvEntryNames(entry.asString(), name)) kept.append(entry);
    }
    if (kept.size() == env->size()) continue;
    *env = std::move(kept);
    AddChange(changes, "env-unset:" + name);
  }
  return true;
}

}  // namespace oci
