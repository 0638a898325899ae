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

/// Where profile config files live: DIR/NAME.conf for profile NAME.
extern const char kProfileConfigDir[];

/// The profile a program name selects: NAME when the basename of argv0 is
/// "oci-interceptor-NAME", else "".
std::string ProfileOfProgram(const std::string& argv0);

/// Picks the config file: cli_path (--oi-config), else env_config when set,
/// else the profile's kProfileConfigDir/NAME.conf when the program name
/// selects one, else the default. Only the default may be missing: any other
/// choice is explicit, so a missing profile file is an error.
ConfigSource ChooseConfigSource(const std::string& cli_path, const char* env_config,
                                const std::string& argv0);

/// Picks the config file (ChooseConfigSource with cli.program_name), reads it
/// and applies the command line over it. refuse_unsafe refuses a file
/// writable by others (set when running as root).
bool LoadSettings(const CommandLine& cli, const char* env_config, bool refuse_unsafe,
                  Settings* settings, ConfigSource* source, std::string* err);

/// What settings can still be read after LoadSettings failed: the file's
/// valid lines before the first malformed one (none from an unsafe file),
/// then every valid command-line setting. For passing a call through and
/// logging the error where the operator asked, never for rules.
Settings LenientSettings(const CommandLine& cli, const ConfigSource& source, bool refuse_unsafe);

}  // namespace oci
