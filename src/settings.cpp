#include "settings.h"

#include <strings.h>

#include <algorithm>

#include "capability.h"
#include "policy_values.h"

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
    if (strcasecmp(text.c_str(), word) == 0) return *value = true;
  }
  for (const char* word : kFalse) {
    if (strcasecmp(text.c_str(), word) == 0) {
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
  // "env = A = 1" would otherwise silently name a variable "A ".
  if (name->find_first_of(" \t\r\n\v\f") != std::string::npos) {
    *err = "'" + text + "': NAME '" + *name + "' holds white space";
    return false;
  }
  if (name->find('\0') != std::string::npos || value->find('\0') != std::string::npos) {
    *err = "environment variable '" + *name + "' holds a NUL byte";
    return false;
  }
  return true;
}

std::string BindMount::Text() const {
  return source + ":" + destination + (readonly ? ":ro" : "");
}

std::string Hook::Text() const {
  std::string text = stage + ":" + path;
  for (const std::string& arg : args) text += ":" + arg;
  return text;
}

namespace {

// ---- Merging list entries: a later layer's entry for the same identity
// replaces the earlier one in place (so its origin is the later one).

bool SameEntry(const EnvRule& a, const EnvRule& b) { return a.name == b.name; }
bool SameEntry(const ListEntry& a, const ListEntry& b) { return a.value == b.value; }
bool SameEntry(const BindMount& a, const BindMount& b) { return a.destination == b.destination; }
bool SameEntry(const Hook& a, const Hook& b) { return a.Text() == b.Text(); }

template <typename T>
void MergeEntry(std::vector<T>* entries, T entry) {
  auto same = std::find_if(entries->begin(), entries->end(),
                           [&](const T& e) { return SameEntry(e, entry); });
  if (same != entries->end()) {
    *same = std::move(entry);
  } else {
    entries->push_back(std::move(entry));
  }
}

// ---- Setters: parse one value into the settings; errors name the value.

template <std::string Settings::*field>
bool SetString(Settings* s, const std::string& value, const Origin&, std::string* err) {
  if (value.empty()) {
    *err = "empty value";
    return false;
  }
  if (value.find('\0') != std::string::npos) {
    *err = "value holds a NUL byte";
    return false;
  }
  s->*field = value;
  return true;
}

// debug-output-dir: the file log refuses a relative one at run time.
template <std::string Settings::*field>
bool SetAbsolutePath(Settings* s, const std::string& value, const Origin& origin,
                     std::string* err) {
  if (!value.empty() && value[0] != '/') {
    *err = "'" + value + "' is not an absolute path";
    return false;
  }
  return SetString<field>(s, value, origin, err);
}

template <bool Settings::*field>
bool SetBool(Settings* s, const std::string& value, const Origin&, std::string* err) {
  if (!ParseBool(value, &(s->*field))) {
    *err = "'" + value + "' is not a boolean (true/false, yes/no, on/off, 1/0)";
    return false;
  }
  return true;
}

template <std::vector<EnvRule> Settings::*field>
bool SetEnv(Settings* s, const std::string& value, const Origin& origin, std::string* err) {
  EnvRule rule;
  if (!ParseEnvAssignment(value, &rule.name, &rule.value, err)) return false;
  rule.origin = origin;
  MergeEntry(&(s->*field), std::move(rule));
  return true;
}

// The values of an enumerated key and their names.
template <typename E>
struct Choice {
  const char* name;
  E value;
};
const Choice<LogTarget> kLogTargets[] = {
    {"auto", LogTarget::kAuto}, {"journald", LogTarget::kJournald}, {"file", LogTarget::kFile}};
const Choice<OnError> kOnErrors[] = {{"fail", OnError::kFail},
                                     {"passthrough", OnError::kPassthrough}};

template <typename E, size_t N>
bool SetChoice(const Choice<E> (&choices)[N], const std::string& value, E* field,
               std::string* err) {
  std::string names;
  for (const Choice<E>& choice : choices) {
    if (value == choice.name) {
      *field = choice.value;
      return true;
    }
    names += (names.empty() ? "" : ", ") + std::string(choice.name);
  }
  *err = "'" + value + "' is not one of " + names;
  return false;
}

template <typename E, size_t N>
const char* ChoiceName(const Choice<E> (&choices)[N], E value) {
  for (const Choice<E>& choice : choices) {
    if (value == choice.value) return choice.name;
  }
  return choices[0].name;
}

bool SetLogTarget(Settings* s, const std::string& value, const Origin&, std::string* err) {
  return SetChoice(kLogTargets, value, &s->log_target, err);
}

bool SetOnError(Settings* s, const std::string& value, const Origin&, std::string* err) {
  return SetChoice(kOnErrors, value, &s->on_error, err);
}

template <std::vector<ListEntry> Settings::*field>
bool SetPath(Settings* s, const std::string& value, const Origin& origin, std::string* err) {
  ListEntry entry{"", origin};
  if (!ParseAbsolutePath(value, &entry.value, err)) return false;
  MergeEntry(&(s->*field), std::move(entry));
  return true;
}

bool SetCapability(Settings* s, const std::string& value, const Origin& origin,
                   std::string* err) {
  ListEntry entry{"", origin};
  if (!NormalizeCapability(value, &entry.value, err)) return false;
  MergeEntry(&s->drop_capabilities, std::move(entry));
  return true;
}

bool SetEnvUnset(Settings* s, const std::string& value, const Origin& origin, std::string* err) {
  if (!ParseEnvName(value, err)) return false;
  MergeEntry(&s->env_unset, ListEntry{value, origin});
  return true;
}

bool SetPidsLimit(Settings* s, const std::string& value, const Origin&, std::string* err) {
  return ParsePositiveInt(value, &s->pids_limit, err);
}

bool SetBindMount(Settings* s, const std::string& value, const Origin& origin,
                  std::string* err) {
  BindMount mount;
  if (!ParseBindMount(value, &mount, err)) return false;
  mount.origin = origin;
  MergeEntry(&s->bind_mounts, std::move(mount));
  return true;
}

bool SetHook(Settings* s, const std::string& value, const Origin& origin, std::string* err) {
  Hook hook;
  if (!ParseHook(value, &hook, err)) return false;
  hook.origin = origin;
  MergeEntry(&s->hooks, std::move(hook));
  return true;
}

// ---- Describers: "key = value  # origin" lines for --oi-check-config.

void Line(std::string* out, const char* key, const std::string& value, const Origin& origin) {
  *out += std::string(key) + " = " + value + "  # " + origin.Describe() + "\n";
}

Origin OriginOf(const Settings& s, const char* key) {
  auto it = s.origins.find(key);
  return it == s.origins.end() ? Origin::Default() : it->second;
}

template <std::string Settings::*field>
void DescribeString(const Settings& s, const char* key, std::string* out) {
  Line(out, key, s.*field, OriginOf(s, key));
}

template <bool Settings::*field>
void DescribeBool(const Settings& s, const char* key, std::string* out) {
  Line(out, key, s.*field ? "true" : "false", OriginOf(s, key));
}

std::string EntryText(const EnvRule& rule) { return rule.name + "=" + rule.value; }
std::string EntryText(const ListEntry& entry) { return entry.value; }
std::string EntryText(const BindMount& mount) { return mount.Text(); }
std::string EntryText(const Hook& hook) { return hook.Text(); }

template <typename T, std::vector<T> Settings::*field>
void DescribeList(const Settings& s, const char* key, std::string* out) {
  if ((s.*field).empty()) *out += std::string("# ") + key + ": none\n";
  for (const T& entry : s.*field) Line(out, key, EntryText(entry), entry.origin);
}

void DescribeLogTarget(const Settings& s, const char* key, std::string* out) {
  Line(out, key, ChoiceName(kLogTargets, s.log_target), OriginOf(s, key));
}

void DescribeOnError(const Settings& s, const char* key, std::string* out) {
  Line(out, key, ChoiceName(kOnErrors, s.on_error), OriginOf(s, key));
}

void DescribePidsLimit(const Settings& s, const char* key, std::string* out) {
  if (s.pids_limit == 0) {
    *out += std::string("# ") + key + ": none\n";
  } else {
    Line(out, key, std::to_string(s.pids_limit), OriginOf(s, key));
  }
}

bool IsListType(KeyType type) {
  switch (type) {
    case KeyType::kList:
    case KeyType::kPathList:
    case KeyType::kCapList:
    case KeyType::kNameList:
    case KeyType::kBindList:
    case KeyType::kHookList:
      return true;
    default:
      return false;
  }
}

}  // namespace

const std::vector<SettingKey>& SettingKeys() {
  using S = Settings;
  using K = KeyType;
  static const std::vector<SettingKey> keys = {
      {"runtime-path", K::kString, "real OCI runtime (bare name searched in $PATH)", "PATH",
       SetString<&S::runtime_path>, DescribeString<&S::runtime_path>},
      {"readonly-networking-mounts", K::kBool,
       "make /etc/hosts, /etc/hostname, /etc/resolv.conf mounts read-only", "",
       SetBool<&S::readonly_networking_mounts>, DescribeBool<&S::readonly_networking_mounts>},
      {"env", K::kList, "NAME=VALUE set when the container has no NAME", "NAME=VALUE",
       SetEnv<&S::env>, DescribeList<EnvRule, &S::env>},
      {"env-force", K::kList, "NAME=VALUE set, replacing any value", "NAME=VALUE",
       SetEnv<&S::env_force>, DescribeList<EnvRule, &S::env_force>},
      {"env-unset", K::kNameList, "every NAME entry removed from the environment", "NAME",
       SetEnvUnset, DescribeList<ListEntry, &S::env_unset>},
      {"exec-env", K::kBool, "env rules also applied to exec --process (docker exec)", "",
       SetBool<&S::exec_env>, DescribeBool<&S::exec_env>},
      {"readonly-mount", K::kPathList, "the mount at PATH becomes read-only", "PATH",
       SetPath<&S::readonly_mounts>, DescribeList<ListEntry, &S::readonly_mounts>},
      {"bind-mount", K::kBindList, "bind mount added unless DST is already a mount target",
       "SRC:DST[:ro|rw]", SetBindMount, DescribeList<BindMount, &S::bind_mounts>},
      {"mask-path", K::kPathList, "PATH added to linux.maskedPaths", "PATH",
       SetPath<&S::mask_paths>, DescribeList<ListEntry, &S::mask_paths>},
      {"readonly-path", K::kPathList, "PATH added to linux.readonlyPaths", "PATH",
       SetPath<&S::readonly_paths>, DescribeList<ListEntry, &S::readonly_paths>},
      {"drop-capability", K::kCapList, "CAP removed from every capability set", "CAP",
       SetCapability, DescribeList<ListEntry, &S::drop_capabilities>},
      {"no-new-privileges", K::kBool, "process.noNewPrivileges forced to true", "",
       SetBool<&S::no_new_privileges>, DescribeBool<&S::no_new_privileges>},
      {"pids-limit", K::kPositiveInt, "pids limit set to N when unset, unlimited or above N",
       "N", SetPidsLimit, DescribePidsLimit},
      {"hook", K::kHookList, "OCI hook appended to hooks.STAGE (args: the ARGs, argv[0] first)",
       "STAGE:PATH[:ARG...]", SetHook, DescribeList<Hook, &S::hooks>},
      {"write-debug-output", K::kBool, "record configs and every forwarded call", "",
       SetBool<&S::write_debug_output>, DescribeBool<&S::write_debug_output>},
      {"debug-output-dir", K::kString, "directory of the file log target", "DIR",
       SetAbsolutePath<&S::debug_output_dir>, DescribeString<&S::debug_output_dir>},
      {"log-target", K::kLogTarget, "auto, journald or file", "T", SetLogTarget,
       DescribeLogTarget},
      {"on-error", K::kOnError, "fail or passthrough when a rule cannot be applied", "P",
       SetOnError, DescribeOnError},
  };
  return keys;
}

bool Settings::SetItem(const std::string& key, const std::string& value, const Origin& origin,
                       std::string* err) {
  const SettingKey* known = FindSettingKey(key);
  if (!known) {
    *err = "unknown key '" + key + "'";
    return false;
  }
  if (!known->set(this, value, origin, err)) {
    *err = key + ": " + *err;
    return false;
  }
  // List entries carry their own origins.
  if (!IsListType(known->type)) origins[key] = origin;
  return true;
}

bool Settings::AnyRuleEnabled() const {
  return readonly_networking_mounts || !env.empty() || !env_force.empty() ||
         !env_unset.empty() || !readonly_mounts.empty() || !bind_mounts.empty() ||
         !mask_paths.empty() || !readonly_paths.empty() || !drop_capabilities.empty() ||
         no_new_privileges || pids_limit > 0 || !hooks.empty();
}

bool Settings::ExecEnvEnabled() const {
  return exec_env && (!env.empty() || !env_force.empty() || !env_unset.empty());
}

std::string Settings::Describe() const {
  std::string out;
  for (const SettingKey& key : SettingKeys()) key.describe(*this, key.name, &out);
  return out;
}

}  // namespace oci
