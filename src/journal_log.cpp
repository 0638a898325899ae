#include "journal_log.h"

#include <unistd.h>

#include <utility>

#include "file_util.h"
#include "libsystemd.h"

namespace oci {

namespace {

void AddField(std::vector<std::string>* fields, const char* name, const std::string& value) {
  if (value.empty()) return;
  fields->push_back(std::string(name) + "=" + value);
}

std::string Join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

// "create 3f2a..." or just "create" when the call names no container.
std::string CallName(const CallContext& call) {
  std::string name = call.command.empty() ? "call" : call.command;
  if (!call.container_id.empty()) name += " " + call.container_id;
  return name;
}

bool NeedsQuoting(const std::string& arg) {
  if (arg.empty()) return true;
  for (char c : arg) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_' || c == '.' || c == '/' || c == ':' || c == '=' ||
                 c == ',' || c == '+' || c == '@' || c == '%';
    if (!plain) return true;
  }
  return false;
}

class JournalLog : public Log {
 public:
  explicit JournalLog(JournalSender sender) : sender_(std::move(sender)) {}

  void Changed(const CallContext& call, const std::vector<std::string>& changes) override {
    JournalEntry entry;
    // exec-env: health checks exec every few seconds; info stays for creates.
    bool exec = call.command == "exec";
    entry.priority = exec ? kJournalDebug : kJournalInfo;
    entry.message = CallName(call) + (exec ? ": changed the process file: " : ": changed config.json: ") +
                    Join(changes);
    entry.changes = changes;
    Send(call, entry);
  }

  void Error(const CallContext& call, const std::string& message) override {
    JournalEntry entry;
    entry.priority = kJournalErr;
    entry.message = message;
    Send(call, entry);
  }

  void Configs(const CallContext& call, const ConfigSnapshots& configs) override {
    JournalEntry entry;
    entry.priority = kJournalDebug;
    entry.message = CallName(call) + ": configs of bundle " + call.bundle +
                    (configs.modified.empty() ? " (unchanged)" : " (modified)");
    entry.configs = &configs;
    entry.with_argv = true;
    Send(call, entry);
  }

  void Forwarded(const CallContext& call) override {
    JournalEntry entry;
    entry.priority = kJournalDebug;
    entry.message = "forwarded to " + call.runtime + ": " + QuoteArgv(call.argv);
    entry.with_argv = true;
    Send(call, entry);
  }

 private:
  void Send(const CallContext& call, const JournalEntry& entry) {
    if (broken_) return;
    std::string err;
    if (sender_(JournalFields(call, entry), &err)) return;
    broken_ = true;
    // Best effort: a logging failure never fails the call, and never
    // reaches stdout.
    if (!call.warnings_to_stderr) return;
    std::string ignored;
    WriteAll(STDERR_FILENO, "oci-interceptor: warning: journald: " + err + "\n", &ignored);
  }

  JournalSender sender_;
  bool broken_ = false;
};

bool SendWithLibSystemd(const std::vector<std::string>& fields, std::string* err) {
  return SendToJournal(fields, kJournalSendTimeoutMs, err);
}

}  // namespace

std::vector<std::string> JournalFields(const CallContext& call, const JournalEntry& entry) {
  std::vector<std::string> fields;
  fields.push_back("SYSLOG_IDENTIFIER=oci-interceptor");
  AddField(&fields, "MESSAGE", entry.message);
  fields.push_back("PRIORITY=" + std::to_string(entry.priority));
  AddField(&fields, "OCI_COMMAND", call.command);
  AddField(&fields, "OCI_CONTAINER_ID", call.container_id);
  AddField(&fields, "OCI_BUNDLE", call.bundle);
  AddField(&fields, "OCI_RUNTIME", call.runtime);
  AddField(&fields, "OCI_HOSTNAME", call.hostname);
  AddField(&fields, "OCI_CHANGES", Join(entry.changes));
  if (entry.with_argv) AddField(&fields, "OCI_ARGV", QuoteArgv(call.argv));
  if (entry.configs) {
    AddField(&fields, "OCI_CONFIG_ORIGINAL", entry.configs->original);
    AddField(&fields, "OCI_CONFIG_MODIFIED", entry.configs->modified);
  }
  return fields;
}

std::string QuoteArgv(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& arg : argv) {
    if (!out.empty()) out += ' ';
    if (!NeedsQuoting(arg)) {
      out += arg;
      continue;
    }
    out += '\'';
    for (char c : arg) {
      if (c == '\'') {
        out += "'\\''";
      } else {
        out += c;
      }
    }
    out += '\'';
  }
  return out;
}

std::unique_ptr<Log> OpenJournalLog(JournalSender sender) {
  if (!sender) sender = SendWithLibSystemd;
  return std::make_unique<JournalLog>(std::move(sender));
}

}  // namespace oci
