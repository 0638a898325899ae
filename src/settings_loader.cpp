#include "settings_loader.h"

#include <vector>

#include "config_file.h"

namespace oci {

const char kProfileConfigDir[] = "/etc/oci-interceptor.d";

std::string ProfileOfProgram(const std::string& argv0) {
  static const std::string kPrefix = "oci-interceptor-";
  std::string base = argv0.substr(argv0.find_last_of('/') + 1);
  return base.size() > kPrefix.size() && base.compare(0, kPrefix.size(), kPrefix) == 0
             ? base.substr(kPrefix.size())
             : "";
}

ConfigSource ChooseConfigSource(const std::string& cli_path, const char* env_config,
                                const std::string& argv0) {
  ConfigSource source;
  source.explicit_path = true;
  std::string profile = ProfileOfProgram(argv0);
  if (!cli_path.empty()) {
    source.path = cli_path;
  } else if (env_config && *env_config) {
    source.path = env_config;
  } else if (!profile.empty()) {
    source.path = std::string(kProfileConfigDir) + "/" + profile + ".conf";
  } else {
    source.path = kDefaultConfigPath;
    source.explicit_path = false;
  }
  return source;
}

bool LoadSettings(const CommandLine& cli, const char* env_config, bool refuse_unsafe,
                  Settings* settings, ConfigSource* source, std::string* err) {
  *source = ChooseConfigSource(cli.config_path, env_config, cli.program_name);

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

Settings LenientSettings(const CommandLine& cli, const ConfigSource& source, bool refuse_unsafe) {
  Settings settings;
  std::string text, err;
  bool found = false;
  std::vector<ConfigEntry> entries;
  if (ReadConfigFile(source.path, source.explicit_path, refuse_unsafe, &text, &found, &err) &&
      found) {
    ParseConfigText(source.path, text, &entries, &err);  // keeps the entries before an error
  }
  for (const ConfigEntry& entry : entries) {
    if (!settings.SetItem(entry.key, entry.value, Origin::File(source.path, entry.line), &err)) {
      break;  // what follows a bad line may have been meant with it
    }
  }
  for (const auto& [key, value] : cli.settings) {
    settings.SetItem(key, value, Origin::CommandLine(), &err);
  }
  return settings;
}

}  // namespace oci
