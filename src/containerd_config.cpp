#include "containerd_config.h"

#include <fnmatch.h>

#include "containerd_block.h"
#include "file_util.h"
#include "toml_document.h"

namespace oci {

namespace {

constexpr char kImports[] = "imports";

// Where a config's statements and strings are, for EditTopLevelArray.
enum class StringState { kNone, kBasic, kLiteral, kMultiBasic, kMultiLiteral };

// True when text at pos starts the statement `key =`.
bool StartsStatement(const std::string& text, size_t pos, const std::string& key) {
  if (pos >= text.size() || text.compare(pos, key.size(), key) != 0) return false;
  size_t next = text.find_first_not_of(" \t", pos + key.size());
  return next != std::string::npos && text[next] == '=';
}

// Follows strings, comments and bracket depth over text[begin, end).
// False on a newline inside a single-line string.
bool ScanLine(const std::string& text, size_t begin, size_t end, StringState* state, int* depth) {
  for (size_t i = begin; i < end; ++i) {
    char c = text[i];
    switch (*state) {
      case StringState::kNone:
        if (c == '#') return true;
        if (text.compare(i, 3, "\"\"\"") == 0) {
          *state = StringState::kMultiBasic;
          i += 2;
        } else if (text.compare(i, 3, "'''") == 0) {
          *state = StringState::kMultiLiteral;
          i += 2;
        } else if (c == '"') {
          *state = StringState::kBasic;
        } else if (c == '\'') {
          *state = StringState::kLiteral;
        } else if (c == '[' || c == '{') {
          ++*depth;
        } else if (c == ']' || c == '}') {
          --*depth;
        }
        break;
      case StringState::kBasic:
      case StringState::kLiteral:
        if (c == '\n') return false;
        if (c == '\\' && *state == StringState::kBasic) {
          ++i;
        } else if (c == (*state == StringState::kBasic ? '"' : '\'')) {
          *state = StringState::kNone;
        }
        break;
      case StringState::kMultiBasic:
      case StringState::kMultiLiteral: {
        const char* close = *state == StringState::kMultiBasic ? "\"\"\"" : "'''";
        if (c == '\\' && *state == StringState::kMultiBasic) {
          ++i;
        } else if (text.compare(i, 3, close) == 0) {
          *state = StringState::kNone;
          i += 2;
        }
        break;
      }
    }
  }
  return true;
}

std::string ArrayLine(const std::string& key, const std::vector<std::string>& values) {
  std::string line = key + " = [";
  for (size_t i = 0; i < values.size(); ++i) line += (i ? ", " : "") + TomlQuote(values[i]);
  return line + "]\n";
}

// True when an imports entry (absolute, relative to the main config's
// directory, or a glob) loads path.
bool ImportsCover(const std::vector<std::string>& imports, const std::string& path,
                  const std::string& base_dir) {
  for (const std::string& entry : imports) {
    std::string resolved = !entry.empty() && entry[0] == '/' ? entry : base_dir + "/" + entry;
    if (resolved == path || fnmatch(resolved.c_str(), path.c_str(), FNM_PATHNAME) == 0) {
      return true;
    }
  }
  return false;
}

// The main config with imports replaced: a text edit that keeps comments when
// parsing it back gives exactly the expected values, else the library's
// serialisation (said in plan->kept).
bool EditImports(const ExistingFile& main, const Json::Value& config,
                 const std::vector<std::string>& imports, FileEdit* edit, EnginePlan* plan,
                 std::string* err) {
  Json::Value expected = config;
  expected.removeMember(kImports);
  for (const std::string& entry : imports) expected[kImports].append(entry);
  std::string text, check_err;
  Json::Value check;
  if (EditTopLevelArray(main.text, kImports, imports, &text) &&
      ParseToml(text, &check, &check_err) && check == expected) {
    edit->content = text;
    return true;
  }
  if (!SetTomlTopLevelStrings(main.text, kImports, imports, &edit->content, err)) return false;
  plan->kept.push_back(main.path +
                       ": rewritten by the TOML library: its values are kept, its comments "
                       "and layout are not");
  return true;
}

// The runtime path an existing drop-in declares for handler, in either schema.
std::string DeclaredBinary(const ExistingFile& dropin, const std::string& handler) {
  Json::Value parsed;
  std::string ignored;
  if (!dropin.exists || !ParseToml(dropin.text, &parsed, &ignored)) return "";
  for (int version : {2, 3}) {
    const Json::Value& binary =
        JsonAt(parsed, {"plugins", ContainerdCriPlugin(version).c_str(), "containerd", "runtimes",
                        handler.c_str(), "options", "BinaryName"});
    if (binary.isString()) return binary.asString();
  }
  return "";
}

// The cgroup driver our handler must share with the kubelet: that of the
// default runtime (default_runtime_name, runc when unset); null if unset.
const Json::Value& HostSystemdCgroup(const Json::Value& config, int schema) {
  const Json::Value& containerd =
      JsonAt(config, {"plugins", ContainerdCriPlugin(schema).c_str(), "containerd"});
  const Json::Value& name = JsonAt(containerd, {"default_runtime_name"});
  std::string runtime = name.isString() ? name.asString() : "runc";
  return JsonAt(containerd, {"runtimes", runtime.c_str(), "options", "SystemdCgroup"});
}

// config with the keys our block adds taken out (and tables left empty by
// that), to compare with the config as it was.
Json::Value WithoutBlock(Json::Value config, const std::string& handler, bool added_runc,
                         bool added_version) {
  Json::Value* runtimes = &config["plugins"][ContainerdCriPlugin(2)]["containerd"]["runtimes"];
  runtimes->removeMember(handler);
  if (added_runc) runtimes->removeMember("runc");
  if (added_version) config.removeMember("version");
  const char* path[] = {"plugins", "io.containerd.grpc.v1.cri", "containerd", "runtimes"};
  for (int depth = 4; depth > 0; --depth) {  // prune the tables the block alone created
    Json::Value* parent = &config;
    for (int i = 0; i < depth - 1; ++i) parent = &(*parent)[path[i]];
    const Json::Value& child = (*parent)[path[depth - 1]];
    if (child.isObject() && child.empty()) parent->removeMember(path[depth - 1]);
  }
  return config;
}

// What register creates when there is no config.toml: this, then our block.
std::string CreatedPreamble() {
  return DropInHeader("containerd") +
         "# containerd's built-in defaults apply to everything not set here.\n";
}

// Version 2 (what containerd 1.x reads): our block in config.toml itself,
// where containerd 1.x would let an imported table replace the host's whole
// CRI settings. text/base: the config as found, or as an earlier step left
// it; *desired is text when nothing is to change.
bool PlanV2Block(const ExistingFile& main, const std::string& text, const Json::Value& base,
                 const std::string& handler, const std::string& binary,
                 const IsThisBinary& is_this_binary, std::string* desired, std::string* change,
                 EnginePlan* plan, std::string* err) {
  *desired = text;
  size_t begin = 0, end = 0;
  bool have_block = FindContainerdBlock(text, handler, &begin, &end);
  std::string outside = have_block ? text.substr(0, begin) + text.substr(end) : text;
  Json::Value config = base;
  if (have_block && !ParseToml(outside, &config, err)) {
    *err = main.path + " is not valid TOML without our block, left unchanged: " + *err;
    return false;
  }
  const Json::Value& runtimes =
      JsonAt(config, {"plugins", ContainerdCriPlugin(2).c_str(), "containerd", "runtimes"});
  const Json::Value& declared = JsonAt(runtimes, {handler.c_str()});
  if (!declared.isNull()) {
    const Json::Value& path = JsonAt(declared, {"options", "BinaryName"});
    if (path.isString() && is_this_binary(path.asString())) {
      plan->kept.push_back(main.path + ": handler '" + handler + "' already runs this binary");
      return true;
    }
    *err = main.path + " already declares handler '" + handler +
           "' for another runtime, left unchanged: remove it or choose --oi-runtime-name";
    return false;
  }
  bool add_runc = handler != "runc" && JsonAt(runtimes, {"runc"}).isNull();
  bool add_version = !config.isMember("version");
  std::string block =
      ContainerdBlockText(handler, binary, HostSystemdCgroup(config, 2),
                          add_runc, add_version);
  std::string result;
  if (have_block) {
    result = text.substr(0, begin) + (text[begin] == '\n' ? "\n" : "") + block + text.substr(end);
  } else {
    result = main.exists ? text : CreatedPreamble();
    if (!result.empty() && result.back() != '\n') result += "\n";
    result += (result.empty() ? "" : "\n") + block;
  }
  if (result == text) return true;
  Json::Value check;
  std::string check_err;
  if (!ParseToml(result, &check, &check_err) ||
      WithoutBlock(check, handler, add_runc, add_version) != config) {
    *err = "cannot add handler '" + handler + "' to " + main.path + " by a checked text edit (" +
           (check_err.empty() ? std::string("its layout") : check_err) +
           "), left unchanged; add this to it by hand:\n" + block;
    return false;
  }
  *desired = result;
  *change = (have_block ? "updated handler '" : "added handler '") + handler + "'";
  return true;
}

}  // namespace

std::string ContainerdDropInPath(const std::string& main_config, const std::string& handler) {
  return DirName(main_config) + "/conf.d/" + handler + ".toml";
}

std::string ContainerdCriPlugin(int version) {
  return version >= 3 ? "io.containerd.cri.v1.runtime" : "io.containerd.grpc.v1.cri";
}

std::string ContainerdRuntimeTables(int version, const std::string& name,
                                    const std::string& binary, const Json::Value& systemd_cgroup) {
  std::string table = "plugins." + TomlQuote(ContainerdCriPlugin(version)) +
                      ".containerd.runtimes." + TomlKey(name);
  std::string text = "[" + table + "]\n  runtime_type = \"io.containerd.runc.v2\"\n";
  if (binary.empty() && !systemd_cgroup.isBool()) return text;
  text += "[" + table + ".options]\n";
  if (!binary.empty()) text += "  BinaryName = " + TomlQuote(binary) + "\n";
  if (systemd_cgroup.isBool()) {
    text += std::string("  SystemdCgroup = ") + (systemd_cgroup.asBool() ? "true" : "false") + "\n";
  }
  return text;
}

std::string ContainerdDropInText(int version, const std::string& handler,
                                 const std::string& binary, const Json::Value& systemd_cgroup) {
  return DropInHeader("containerd") + "version = " + std::to_string(version) + "\n\n" +
         ContainerdRuntimeTables(version, handler, binary, systemd_cgroup);
}

bool EditTopLevelArray(const std::string& text, const std::string& key,
                       const std::vector<std::string>& values, std::string* out) {
  size_t key_begin = std::string::npos, key_end = std::string::npos;
  size_t after_version = std::string::npos;
  bool in_key = false, in_version = false;
  StringState state = StringState::kNone;
  int depth = 0;
  for (size_t begin = 0; begin < text.size();) {
    size_t end = text.find('\n', begin);
    end = end == std::string::npos ? text.size() : end + 1;
    if (depth == 0 && state == StringState::kNone) {
      size_t first = text.find_first_not_of(" \t", begin);
      if (first < end && text[first] == '[') break;  // the first table: top level ends
      if (StartsStatement(text, first, key)) {
        if (key_begin != std::string::npos) return false;
        key_begin = begin;
        in_key = true;
      }
      in_version = StartsStatement(text, first, "version");
    }
    if (!ScanLine(text, begin, end, &state, &depth) || depth < 0) return false;
    if (depth == 0 && state == StringState::kNone) {
      if (in_key) key_end = end;
      if (in_version) after_version = end;
      in_key = in_version = false;
    }
    begin = end;
  }
  if (in_key || depth != 0 || state != StringState::kNone) return false;

  std::string line = values.empty() ? "" : ArrayLine(key, values);
  if (key_begin != std::string::npos) {
    *out = text.substr(0, key_begin) + line + text.substr(key_end);
    return true;
  }
  size_t at = after_version == std::string::npos ? 0 : after_version;
  if (!line.empty() && at > 0 && text[at - 1] != '\n') line = "\n" + line;
  *out = text.substr(0, at) + line + text.substr(at);
  return true;
}

bool PlanContainerd(const ContainerdFiles& files, const std::string& handler,
                    const std::string& binary, bool unregister,
                    const IsThisBinary& is_this_binary, EnginePlan* plan, std::string* err) {
  const ExistingFile& main = files.main;
  const ExistingFile& dropin = files.dropin;
  Json::Value config(Json::objectValue);
  if (!ParseExistingToml(main, &config, err)) return false;
  std::vector<std::string> imports;
  const Json::Value& listed = JsonAt(config, {kImports});
  for (const Json::Value& entry : listed) {
    if (!entry.isString()) break;
    imports.push_back(entry.asString());
  }
  if (!listed.isNull() && (!listed.isArray() || imports.size() != listed.size())) {
    *err = main.path + ": imports is not a list of strings, left unchanged";
    return false;
  }
  EnginePlan local;
  // An earlier release's registration: a drop-in listed in imports.
  std::vector<std::string> remaining;
  for (const std::string& entry : imports) {
    if (entry != dropin.path) remaining.push_back(entry);
  }
  bool legacy_import = remaining.size() != imports.size();

  const Json::Value& version = JsonAt(config, {"version"});
  int schema = version.isIntegral() ? version.asInt() : (config.empty() ? 2 : 1);
  if (!unregister && schema == 3) {
    // containerd 2.x only: imports merge deeply there, so a drop-in is safe.
    std::string plugin = ContainerdCriPlugin(schema);
    const Json::Value& runtimes = JsonAt(config, {"plugins", plugin.c_str(), "containerd", "runtimes"});
    if (!JsonAt(runtimes, {handler.c_str()}).isNull()) {
      local.kept.push_back(main.path + ": also declares handler '" + handler +
                           "'; the drop-in's values override it");
    }
    std::string desired = ContainerdDropInText(
        schema, handler, binary, HostSystemdCgroup(config, schema));
    if (!PlanDropIn(dropin, desired, DeclaredBinary(dropin, handler), false, is_this_binary,
                    handler, &local, err)) {
      return false;
    }
    if (!ImportsCover(imports, dropin.path, DirName(main.path))) {
      imports.push_back(dropin.path);
      FileEdit edit{main.path, false, "", "added " + dropin.path + " to imports"};
      if (!EditImports(main, config, imports, &edit, &local, err)) return false;
      local.edits.push_back(edit);
    }
  } else if (!unregister && schema != 2) {
    *err = main.path + ": config version " + std::to_string(schema) +
           " is not supported (2 and 3 are; `containerd config migrate` converts older "
           "ones), left unchanged";
    return false;
  } else {
    // The main config as each step leaves it: the legacy import dropped,
    // then our block added (register) or removed (unregister).
    std::string text = main.text;
    Json::Value current = config;
    std::vector<std::string> changes;
    if (legacy_import) {
      FileEdit edit{main.path, false, "", ""};
      if (!EditImports(main, config, remaining, &edit, &local, err)) return false;
      text = edit.content;
      current.removeMember(kImports);
      for (const std::string& entry : remaining) current[kImports].append(entry);
      changes.push_back("removed " + dropin.path + " from imports");
    }
    if (unregister) {
      size_t begin = 0, end = 0;
      if (FindContainerdBlock(text, handler, &begin, &end)) {
        text = text.substr(0, begin) + text.substr(end);
        changes.push_back("removed handler '" + handler + "'");
      }
    } else {
      std::string desired, change;
      if (!PlanV2Block(main, text, current, handler, binary, is_this_binary, &desired, &change,
                       &local, err)) {
        return false;
      }
      if (!change.empty()) changes.push_back(change);
      text = desired;
    }
    if (!changes.empty()) {
      std::string said;
      for (const std::string& change : changes) said += (said.empty() ? "" : "; ") + change;
      Json::Value left;
      std::string ignored;
      // A file register created, and nothing added since: remove it.
      bool created = unregister && main.text.rfind(DropInHeader("containerd"), 0) == 0 &&
                     (text == CreatedPreamble() ||
                      (ParseToml(text, &left, &ignored) && left.size() == 1 &&
                       left["version"] == Json::Value(Json::Int64(2))));
      local.edits.push_back(created ? FileEdit{main.path, true, "", "removed (register had created it)"}
                                    : FileEdit{main.path, false, text, said});
    }
    if (legacy_import || unregister) {
      if (!PlanDropIn(dropin, "", DeclaredBinary(dropin, handler), true, is_this_binary, handler,
                      &local, err)) {
        return false;
      }
    }
  }
  plan->edits.insert(plan->edits.end(), local.edits.begin(), local.edits.end());
  plan->kept.insert(plan->kept.end(), local.kept.begin(), local.kept.end());
  return true;
}

}  // namespace oci
