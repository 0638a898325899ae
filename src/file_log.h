// The file log target: the seed's debug output in debug-output-dir.
#pragma once

#include <memory>
#include <string>

#include "log.h"

namespace oci {

/// A hostname made safe as a file name prefix: [A-Za-z0-9._-] kept, other
/// bytes become '_', no leading dot, at most 200 bytes; "unknown" when empty.
std::string SanitizeHostname(const std::string& hostname);

/// The runtime_calls.log line of a call: the runtime as configured, then its
/// arguments, separated by spaces.
std::string RuntimeCallLine(const CallContext& call);

/// Opens (creating it 0700) the debug directory without following symlinks;
/// refuses one owned by another user. Returns the directory fd or -1.
int OpenDebugDirectory(const std::string& path, std::string* err);

/// Writes <hostname>_original.json, _parsed.json, _modified.json and appends
/// to runtime_calls.log; files are 0600 and never followed through links.
std::unique_ptr<Log> OpenFileLog(const Settings& settings);

}  // namespace oci
