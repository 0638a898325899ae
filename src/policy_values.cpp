#include "policy_values.h"

#include <strings.h>

#include <cerrno>
#include <cstdlib>

namespace oci {

namespace {

std::vector<std::string> SplitColons(const std::string& text) {
  std::vector<std::string> fields;
  size_t start = 0;
  for (size_t colon; (colon = text.find(':', start)) != std::string::npos; start = colon + 1) {
    fields.push_back(text.substr(start, colon - start));
  }
  fields.push_back(text.substr(start));
  return fields;
}

}  // namespace

bool ParseAbsolutePath(const std::string& text, std::string* path, std::string* err) {
  if (text.find('\0') != std::string::npos) {
    *err = "path holds a NUL byte";
    return false;
  }
  if (text.empty() || text[0] != '/') {
    *err = "'" + text + "' is not an absolute path";
    return false;
  }
  std::string clean;
  size_t start = 0;
  while (start < text.size()) {
    size_t slash = text.find('/', start);
    if (slash == std::string::npos) slash = text.size();
    std::string part = text.substr(start, slash - start);
    if (part == "." || part == "..") {
      *err = "'" + text + "' has a '" + part + "' component";
      return false;
    }
    if (!part.empty()) clean += "/" + part;
    start = slash + 1;
  }
  if (clean.empty()) {
    *err = "'" + text + "' names the root directory";
    return false;
  }
  *path = clean;
  return true;
}

bool ParsePositiveInt(const std::string& text, long long* value, std::string* err) {
  *err = "'" + text + "' is not a positive integer";
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) return false;
  errno = 0;
  long long parsed = strtoll(text.c_str(), nullptr, 10);
  if (errno == ERANGE || parsed <= 0) return false;
  err->clear();
  *value = parsed;
  return true;
}

bool ParseEnvName(const std::string& text, std::string* err) {
  if (text.empty()) {
    *err = "empty variable name";
  } else if (text.find('=') != std::string::npos) {
    *err = "'" + text + "' is not a variable name: it holds '='";
  } else if (text.find('\0') != std::string::npos) {
    *err = "variable name holds a NUL byte";
  } else {
    return true;
  }
  return false;
}

bool ParseBindMount(const std::string& text, BindMount* mount, std::string* err) {
  std::vector<std::string> fields = SplitColons(text);
  if (fields.size() < 2 || fields.size() > 3) {
    *err = "'" + text + "' is not SRC:DST[:ro|rw]";
    return false;
  }
  if (!ParseAbsolutePath(fields[0], &mount->source, err) ||
      !ParseAbsolutePath(fields[1], &mount->destination, err)) {
    *err = "'" + text + "': " + *err;
    return false;
  }
  mount->readonly = false;
  if (fields.size() == 3) {
    if (fields[2] != "ro" && fields[2] != "rw") {
      *err = "'" + text + "': '" + fields[2] + "' is not ro or rw";
      return false;
    }
    mount->readonly = fields[2] == "ro";
  }
  return true;
}

const std::vector<std::string>& HookStages() {
  static const std::vector<std::string> stages = {
      "prestart",        "createRuntime", "createContainer",
      "startContainer",  "poststart",     "poststop"};
  return stages;
}

bool ParseHook(const std::string& text, Hook* hook, std::string* err) {
  std::vector<std::string> fields = SplitColons(text);
  if (fields.size() < 2) {
    *err = "'" + text + "' is not STAGE:PATH[:ARG...]";
    return false;
  }
  hook->stage.clear();
  for (const std::string& stage : HookStages()) {
    if (strcasecmp(stage.c_str(), fields[0].c_str()) == 0) hook->stage = stage;
  }
  if (hook->stage.empty()) {
    std::string known;
    for (const std::string& stage : HookStages()) known += (known.empty() ? "" : ", ") + stage;
    *err = "'" + fields[0] + "' is not a hook stage (" + known + ")";
    return false;
  }
  if (!ParseAbsolutePath(fields[1], &hook->path, err)) {
    *err = "'" + text + "': " + *err;
    return false;
  }
  hook->args.assign(fields.begin() + 2, fields.end());
  for (const std::string& arg : hook->args) {
    if (arg.empty() || arg.find('\0') != std::string::npos) {
      *err = "'" + text + "' has an empty ARG or a NUL byte";
      return false;
    }
  }
  return true;
}

}  // namespace oci
