// Builds the effective settings from the layers: defaults, file, command line.
#pragma once

#include <string>

#include "cli.h"
#include "settings.h"

namespace oci {

/// Which config file applies and whether it was read.
struct ConfigSource {
  std::string path;
  bool explicit_path = false;  // named by --oi-config or the environment
  bool found = false;
};

/// Picks the config file (--oi-config, else env_config when set, else the
/// default), reads it and applies the command line over it. refuse_unsafe
/// refuses a file writable by others (set when running as root).
bool LoadSettings(const CommandLine& cli, const char* env_config, bool refuse_unsafe,
                  Settings* settings, ConfigSource* source, std::string* err);

}  // namespace oci
