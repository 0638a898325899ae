// The journald log target: one journal entry per decision, error or debug
// record, with OCI_* fields so `journalctl -t oci-interceptor
// OCI_CONTAINER_ID=<id>` finds one container's story.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "log.h"

namespace oci {

/// Journal priorities (syslog levels) of our entries.
enum JournalPriority { kJournalErr = 3, kJournalInfo = 6, kJournalDebug = 7 };

/// Sends one entry of "NAME=value" fields; err says why it was not sent.
using JournalSender = std::function<bool(const std::vector<std::string>& fields, std::string* err)>;

/// How long one entry may wait for journald before it is dropped.
constexpr int kJournalSendTimeoutMs = 250;

/// What one journal entry holds beyond the call's context.
struct JournalEntry {
  int priority = kJournalInfo;
  std::string message;
  std::vector<std::string> changes;          // names, never values
  const ConfigSnapshots* configs = nullptr;  // debug entries of intercepted calls
  bool with_argv = false;                    // debug entries
};

/// The "NAME=value" fields of an entry; fields with empty values are left out.
std::vector<std::string> JournalFields(const CallContext& call, const JournalEntry& entry);

/// argv as one line, each argument shell-quoted when it needs to be.
std::string QuoteArgv(const std::vector<std::string>& argv);

/// The journald target. It sends through sender (default: libsystemd, loaded
/// on the first entry); after a failed send it warns once on stderr and sends
/// nothing more, so a broken journald delays a call at most once.
std::unique_ptr<Log> OpenJournalLog(JournalSender sender = nullptr);

}  // namespace oci
