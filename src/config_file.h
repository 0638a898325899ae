// The config file /etc/oci-interceptor.conf: "key = value" lines.
#pragma once

#include <string>
#include <vector>

#include "settings.h"

namespace oci {

/// The default config file, used when neither --oi-config nor
/// $OCI_INTERCEPTOR_CONFIG names one.
extern const char kDefaultConfigPath[];

/// One "key = value" line of a config file.
struct ConfigEntry {
  int line;
  std::string key;
  std::string value;
};

/// Splits config file text into entries; errors are "PATH:LINE: message".
bool ParseConfigText(const std::string& path, const std::string& text,
                     std::vector<ConfigEntry>* entries, std::string* err);

/// Reads a config file. A missing file sets *found = false and succeeds unless
/// must_exist. When refuse_unsafe_modes, a file writable by group or others,
/// or not owned by root, is refused.
bool ReadConfigFile(const std::string& path, bool must_exist, bool refuse_unsafe_modes,
                    std::string* text, bool* found, std::string* err);

/// Applies a config file's entries to settings with file:line origins.
bool ApplyConfigEntries(const std::string& path, const std::vector<ConfigEntry>& entries,
                        Settings* settings, std::string* err);

}  // namespace oci
