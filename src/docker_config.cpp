#include "docker_config.h"

#include <memory>
#include <sstream>

#include <json/reader.h>
#include <json/writer.h>

#include "json_text.h"
#include "spec.h"  // FindMember

namespace oci {

namespace {

const char kRuntimes[] = "runtimes";
const char kDefaultRuntime[] = "default-runtime";
const char kDockerDefaultRuntime[] = "runc";

// jsoncpp's "* Line 3, Column 5\n  Syntax error: ..." on one line.
std::string OneLine(const std::string& jsoncpp_errors) {
  std::string out;
  std::istringstream lines(jsoncpp_errors);
  std::string line;
  while (std::getline(lines, line)) {
    size_t start = line.find_first_not_of(" *");
    if (start == std::string::npos) continue;
    if (!out.empty()) out += ": ";
    out += line.substr(start);
  }
  return out.empty() ? "not valid JSON" : out;
}

bool IsBlank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

// Scalars as jsoncpp writes them, on one line, UTF-8 kept.
std::string Scalar(const Json::Value& value) {
  Json::StreamWriterBuilder builder;
  builder["indentation"] = "";
  builder["emitUTF8"] = true;
  return Json::writeString(builder, value);
}

// The layout of Go's json.MarshalIndent and Python's json.dumps(indent=4):
// "key": value, one member per line, {} and [] when empty.
void Write(const Json::Value& value, const std::string& indent, std::string* out) {
  const std::string inner = indent + "    ";
  if (value.isObject() && !value.empty()) {
    *out += "{\n";
    bool first = true;
    for (const std::string& key : value.getMemberNames()) {
      if (!first) *out += ",\n";
      first = false;
      *out += inner + Scalar(Json::Value(key)) + ": ";
      Write(value[key], inner, out);
    }
    *out += "\n" + indent + "}";
  } else if (value.isArray() && !value.empty()) {
    *out += "[\n";
    for (Json::ArrayIndex i = 0; i < value.size(); ++i) {
      if (i) *out += ",\n";
      *out += inner;
      Write(value[i], inner, out);
    }
    *out += "\n" + indent + "]";
  } else if (value.isObject()) {
    *out += "{}";
  } else if (value.isArray()) {
    *out += "[]";
  } else {
    *out += Scalar(value);
  }
}

}  // namespace

bool ParseDockerConfig(const std::string& text, Json::Value* daemon, std::string* err) {
  if (IsBlank(text)) {
    *daemon = Json::Value(Json::objectValue);
    return true;
  }
  Json::CharReaderBuilder builder;
  Json::CharReaderBuilder::strictMode(&builder.settings_);
  std::unique_ptr<Json::CharReader> reader(builder.newCharReader());
  std::string errors;
  bool ok = false;
  try {  // jsoncpp throws when nesting exceeds its stack limit
    ok = reader->parse(text.data(), text.data() + text.size(), daemon, &errors);
  } catch (const std::exception& e) {
    errors = e.what();
  }
  if (!ok) {
    *err = OneLine(errors);
    return false;
  }
  // jsoncpp reads some text Docker refuses; a rewrite would quietly fix it up.
  size_t offset = 0;
  std::string problem = NonJsonSyntax(text, &offset);
  if (!problem.empty()) {
    *err = LineColumn(text, offset) + ": " + problem + " (Docker refuses it)";
    return false;
  }
  if (!daemon->isObject()) {
    *err = "the top-level value is not a JSON object";
    return false;
  }
  return true;
}

std::string SerializeDockerConfig(const Json::Value& daemon) {
  std::string out;
  Write(daemon, "", &out);
  return out + "\n";
}

bool RegisterDockerRuntime(Json::Value* daemon, const std::string& name, const std::string& path,
                           bool set_default, const IsThisBinary& is_this_binary,
                           DockerConfigChanges* changes, std::string* err) {
  const std::string entry_key = std::string(kRuntimes) + "." + name;
  if (daemon->isMember(kRuntimes) && !(*daemon)[kRuntimes].isObject()) {
    *err = "\"runtimes\" is not a JSON object";
    return false;
  }
  const Json::Value* runtimes = daemon->find(kRuntimes, kRuntimes + sizeof kRuntimes - 1);
  const Json::Value* entry =
      runtimes ? runtimes->find(name.data(), name.data() + name.size()) : nullptr;
  if (entry && !entry->isObject()) {
    *err = "\"" + entry_key + "\" is not a JSON object";
    return false;
  }
  // dockerd refuses an entry with both a path and a runtimeType (or options).
  for (const char* key : {"runtimeType", "options"}) {
    if (entry && FindMember(*entry, key)) {
      *err = "\"" + entry_key + "\" has \"" + key +
             "\": it is another runtime's entry; choose another --oi-runtime-name";
      return false;
    }
  }
  const Json::Value* old_path = entry ? FindMember(*entry, "path") : nullptr;
  if (old_path && !old_path->isString()) {
    *err = "\"" + entry_key + ".path\" is not a string";
    return false;
  }
  const Json::Value* old_default = daemon->find(kDefaultRuntime,
                                                kDefaultRuntime + sizeof kDefaultRuntime - 1);
  if (set_default && old_default && !old_default->isString()) {
    *err = "\"default-runtime\" is not a string";
    return false;
  }

  if (!entry) {
    (*daemon)[kRuntimes][name]["path"] = path;
    changes->changed.push_back("added " + entry_key + " with path " + path);
  } else if (!old_path) {
    (*daemon)[kRuntimes][name]["path"] = path;
    changes->changed.push_back("set " + entry_key + ".path to " + path);
  } else if (!is_this_binary(old_path->asString())) {
    std::string was = old_path->asString();
    (*daemon)[kRuntimes][name]["path"] = path;
    changes->changed.push_back("set " + entry_key + ".path to " + path + " (was " + was + ")");
  }

  if (set_default) {
    std::string was = old_default ? old_default->asString() : "";
    if (was != name) {
      (*daemon)[kDefaultRuntime] = name;
      changes->changed.push_back("set default-runtime to " + name +
                                 (was.empty() ? "" : " (was " + was + ")"));
    }
  }
  return true;
}

void UnregisterDockerRuntime(Json::Value* daemon, const std::string& name,
                             const IsThisBinary& is_this_binary, DockerConfigChanges* changes) {
  const std::string entry_key = std::string(kRuntimes) + "." + name;
  Json::Value* runtimes = daemon->isMember(kRuntimes) ? &(*daemon)[kRuntimes] : nullptr;
  if (!runtimes || !runtimes->isObject() || !runtimes->isMember(name)) {
    changes->kept.push_back("no " + entry_key + " entry: nothing to remove");
    return;
  }
  const Json::Value& entry = (*runtimes)[name];
  const Json::Value* path = entry.isObject() ? FindMember(entry, "path") : nullptr;
  if (!path || !path->isString() || !is_this_binary(path->asString())) {
    std::string where = path && path->isString() ? "points at " + path->asString()
                                                 : "has no path";
    changes->kept.push_back(entry_key + " " + where +
                            ", not at this binary: it is someone else's, left in place");
    return;
  }
  // An empty "runtimes" stays: dockerd replaces its runtimes on SIGHUP only
  // when the key is present, so without it the removed entry would live on.
  runtimes->removeMember(name);
  changes->changed.push_back("removed " + entry_key);
  const Json::Value* current_default = daemon->find(kDefaultRuntime,
                                                    kDefaultRuntime + sizeof kDefaultRuntime - 1);
  // Reset rather than removed: on SIGHUP dockerd keeps its previous default
  // when the key is missing, and then crashes on the runtime that is gone.
  if (current_default && current_default->isString() && current_default->asString() == name) {
    (*daemon)[kDefaultRuntime] = kDockerDefaultRuntime;
    changes->changed.push_back(std::string("reset default-runtime to ") + kDockerDefaultRuntime +
                               " (was " + name + ")");
  }
}

}  // namespace oci
