#include "settings.h"

#include <algorithm>

namespace oci {

std::string Origin::Describe() const {
  switch (kind) {
    case kDefault:
      return "default";
    case kFile:
      return file + ":" + std::to_string(line);
    case kCommandLine:
      return "command line";
  }
  return "default";
}

const std::vector<SettingKey>& SettingKeys() {
  static const std::vector<SettingKey> keys = {
      {"runtime-path", KeyType::kString, "real OCI runtime (bare name searched in $PATH)"},
      {"readonly-networking-mounts", KeyType::kBool,
       "make /etc/hosts, /etc/hostname, /etc/resolv.conf mounts read-only"},
      {"env", KeyType::kList, "NAME=VALUE set when the container has no NAME"},
      {"env-force", KeyType::kList, "NAME=VALUE set, replacing any value"},
      {"write-debug-output", KeyType::kBool, "record configs and every forwarded call"},
      {"debug-output-dir", KeyType::kString, "directory of the file log target"},
      {"log-target", KeyType::kLogTarget, "auto, journald or file"},
      {"on-error", KeyType::kOnError, "fail or passthrough when a rule cannot be applied"},
  };
  return keys;
}

const SettingKey* FindSettingKey(const std::string& name) {
  for (const SettingKey& key : SettingKeys()) {
    if (name == key.name) return &key;
  }
  return nullptr;
}

bool ParseBool(const std::string& text, bool* value) {
  static const char* const kTrue[] = {"true", "yes", "on", "1"};
  static const char* const kFalse[] = {"false", "no", "off", "0"};
  for (const char* word : kTrue) {
    if (text == word) return *value = true;
  }
  for (const char* word : kFalse) {
    if (text == word) {
      *value = false;
      return true;
    }
  }
  return false;
}

bool ParseEnvAssignment(const std::string& text, std::string* name, std::string* value,
                        std::string* err) {
  size_t eq = text.find('=');
  if (eq == std::string::npos) {
    *err = "'" + text + "' is not NAME=VALUE";
    return false;
  }
  if (eq == 0) {
    *err = "'" + text + "' has an empty NAME";
    return false;
  }
  *name = text.substr(0, eq);
  *value = text.substr(eq + 1);
  if (name->find('\0') != std::string::npos || value->find('\0') != std::string::npos) {
    *err = "environment variable '" + *name + "' holds a NUL byte";
    return false;
  }
  return true;
}

namespace {

// A later layer's entry for the same NAME replaces the earlier one in place.
void MergeEnvRule(std::vector<EnvRule>* rules, EnvRule rule) {
  auto same = std::find_if(rules->begin(), rules->end(),
                           [&](const EnvRule& r) { return r.name == rule.name; });
  if (same != rules->end()) {
    *same = std::move(rule);
  } else {
    rules->push_back(std::move(rule));
  }
}

const char* LogTargetName(LogTarget target) {
  switch (target) {
    case LogTarget::kJournald:
      return "journald";
    case LogTarget::kFile:
      return "file";
    case LogTarget::kAuto:
      break;
  }
  return "auto";
}

}  // namespace

bool Settings::SetItem(const std::string& key, const std::string& value, const Origin& origin,
                       std::string* err) {
  const SettingKey* known = FindSettingKey(key);
  if (!known) {
    *err = "unknown key '" + key + "'";
    return false;
  }
  switch (known->type) {
    case KeyType::kString:
      if (value.empty()) {
        *err = key + ": empty value";
        return false;
      }
      if (value.find('\0') != std::string::npos) {
        *err = key + ": value holds a NUL byte";
        return false;
      }
      (key == "runtime-path" ? runtime_path : debug_output_dir) = value;
      break;
    case KeyType::kBool: {
      bool flag = false;
      if (!ParseBool(value, &flag)) {
        *err = key + ": '" + value + "' is not a boolean (true/false, yes/no, on/off, 1/0)";
        return false;
      }
      (key == "readonly-networking-mounts" ? readonly_networking_mounts : write_debug_output) =
          flag;
      break;
    }
    case KeyType::kList: {
      EnvRule rule;
      if (!ParseEnvAssignment(value, &rule.name, &rule.value, err)) {
        *err = key + ": " + *err;
        return false;
      }
      rule.origin = origin;
      MergeEnvRule(key == "env" ? &env : &env_force, std::move(rule));
      return true;
    }
    case KeyType::kLogTarget:
      if (value == "auto") {
        log_target = LogTarget::kAuto;
      } else if (value == "journald") {
        log_target = LogTarget::kJournald;
      } else if (value == "file") {
        log_target = LogTarget::kFile;
      } else {
        *err = key + ": '" + value + "' is not one of auto, journald, file";
        return false;
      }
      break;
    case KeyType::kOnError:
      if (value == "fail") {
        on_error = OnError::kFail;
      } else if (value == "passthrough") {
        on_error = OnError::kPassthrough;
      } else {
        *err = key + ": '" + value + "' is not one of fail, passthrough";
        return false;
      }
      break;
  }
  origins[key] = origin;
  return true;
}

bool Settings::AnyRuleEnabled() const {
  return readonly_networking_mounts || !env.empty() || !env_force.empty();
}

std::string Settings::Describe() const {
  std::string out;
  auto line = [&](const std::string& key, const std::string& value, const Origin& origin) {
    out += key + " = " + value + "  # " + origin.Describe() + "\n";
  };
  auto origin_of = [&](const char* key) {
    auto it = origins.find(key);
    return it == origins.end() ? Origin::Default() : it->second;
  };
  line("runtime-path", runtime_path, origin_of("runtime-path"));
  line("readonly-networking-mounts", readonly_networking_mounts ? "true" : "false",
       origin_of("readonly-networking-mounts"));
  if (env.empty()) out += "# env: none\n";
  for (const EnvRule& rule : env) line("env", rule.name + "=" + rule.value, rule.origin);
  if (env_force.empty()) out += "# env-force: none\n";
  for (const EnvRule& rule : env_force) {
    line("env-force", rule.name + "=" + rule.value, rule.origin);
  }
  line("write-debug-output", write_debug_output ? "true" : "false",
       origin_of("write-debug-output"));
  line("debug-output-dir", debug_output_dir, origin_of("debug-output-dir"));
  line("log-target", LogTargetName(log_target), origin_of("log-target"));
  line("on-error", on_error == OnError::kFail ? "fail" : "passthrough", origin_of("on-error"));
  return out;
}

}  // namespace oci
