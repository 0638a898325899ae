#include <sys/stat.h>

#include "file_log.h"
#include "journal_log.h"
#include "log.h"

namespace oci {

namespace {

// Where journald listens for native entries; present whenever it runs.
constexpr char kJournalSocket[] = "/run/systemd/journal/socket";

bool JournalSocketExists() {
  struct stat st;
  return stat(kJournalSocket, &st) == 0 && S_ISSOCK(st.st_mode);
}

bool UsesJournald(const Settings& settings) {
  switch (settings.log_target) {
    case LogTarget::kJournald:
      return true;
    case LogTarget::kFile:
      return false;
    case LogTarget::kAuto:
      break;
  }
  return JournalSocketExists();
}

}  // namespace

const char* LogTargetInUse(const Settings& settings) {
  return UsesJournald(settings) ? "journald" : "file";
}

std::unique_ptr<Log> OpenLog(const Settings& settings) {
  return UsesJournald(settings) ? OpenJournalLog() : OpenFileLog(settings);
}

}  // namespace oci
