#include "engine_plan.h"

#include "toml_document.h"

namespace oci {

namespace {

constexpr char kMarker[] = "# Written by oci-interceptor --oi-register";

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

}  // namespace

const Json::Value& JsonAt(const Json::Value& root, std::initializer_list<const char*> keys) {
  static const Json::Value kNull;
  const Json::Value* value = &root;
  for (const char* key : keys) {
    if (!value->isObject() || !value->isMember(key)) return kNull;
    value = &(*value)[key];
  }
  return *value;
}

std::string DropInHeader(const std::string& engine) {
  return std::string(kMarker) + " " + engine + "; removed by --oi-unregister " + engine + ".\n";
}

bool IsValidRuntimeName(const std::string& name) {
  if (name.empty() || name.size() > 63 || !IsAlnum(name[0])) return false;
  for (char c : name) {
    if (!IsAlnum(c) && c != '_' && c != '.' && c != '-') return false;
  }
  return true;
}

bool IsValidProfileName(const std::string& name) {
  if (name.empty() || name.size() > 47 || name.front() == '-' || name.back() == '-') return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

bool ParseExistingToml(const ExistingFile& file, Json::Value* parsed, std::string* err) {
  if (!file.exists || ParseToml(file.text, parsed, err)) return true;
  *err = file.path + " is not valid TOML, left unchanged: " + *err;
  return false;
}

bool PlanDropIn(const ExistingFile& file, const std::string& desired,
                const std::string& declared_binary, bool unregister,
                const IsThisBinary& is_this_binary, const std::string& handler,
                EnginePlan* plan, std::string* err) {
  bool ours = file.text.compare(0, sizeof kMarker - 1, kMarker) == 0 ||
              (!declared_binary.empty() && is_this_binary(declared_binary));
  if (unregister) {
    if (!file.exists) return true;
    if (!ours) {
      plan->kept.push_back(file.path + ": kept, not written by oci-interceptor and its handler '" +
                           handler + "' does not run this binary");
      return true;
    }
    plan->edits.push_back({file.path, true, "", "removed handler '" + handler + "'"});
    return true;
  }
  if (file.exists && file.text == desired) return true;
  if (file.exists && !ours) {
    *err = file.path + " exists and is not ours (no oci-interceptor header, and handler '" +
           handler + "' does not run this binary): remove or rename it first";
    return false;
  }
  plan->edits.push_back({file.path, false, desired,
                         (file.exists ? "updated handler '" : "added handler '") + handler + "'"});
  return true;
}

}  // namespace oci
