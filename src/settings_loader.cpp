#include "settings_loader.h"

#include <vector>

#include "config_file.h"

namespace oci {

bool LoadSettings(const CommandLine& cli, const char* env_config, bool refuse_unsafe,
                  Settings* settings, ConfigSource* source, std::string* err) {
  source->path = kDefaultConfigPath;
  source->explicit_path = true;
  if (!cli.config_path.empty()) {
    source->path = cli.config_path;
  } else if (env_config && *env_config) {
    source->path = env_config;
  } else {
    source->explicit_path = false;
  }

  std::string text;
  if (!ReadConfigFile(source->path, source->explicit_path, refuse_unsafe, &text, &source->found,
                      err)) {
    return false;
  }
  std::vector<ConfigEntry> entries;
  if (source->found && (!ParseConfigText(source->path, text, &entries, err) ||
                        !ApplyConfigEntries(source->path, entries, settings, err))) {
    return false;
  }
  for (const auto& [key, value] : cli.settings) {
    if (!settings->SetItem(key, value, Origin::CommandLine(), err)) {
      *err = "--oi-" + *err;  // SetItem's error already starts with "KEY: "
      return false;
    }
  }
  return true;
}

}  // namespace oci
