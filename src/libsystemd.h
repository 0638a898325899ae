// libsystemd, loaded with dlopen() on first use and never linked: loading it
// costs about 1 ms per process, which calls that log nothing must not pay.
#pragma once

#include <string>
#include <vector>

namespace oci {

/// Sends one journal entry of "NAME=value" fields with sd_journal_sendv(),
/// loading libsystemd first if needed. A send blocked longer than timeout_ms
/// (journald stopped with a full socket queue) is interrupted and fails.
bool SendToJournal(const std::vector<std::string>& fields, int timeout_ms, std::string* err);

/// True when libsystemd is loaded in this process, by us or anyone.
bool LibSystemdLoaded();

}  // namespace oci
