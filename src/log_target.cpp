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

}  // namespace

std::unique_ptr<Log> OpenLog(const Settings& settings) {
  switch (settings.log_target) {
    case LogTarget::kJournald:
      return OpenJournalLog();
    case LogTarget::kFile:
      return OpenFileLog(settings);
    case LogTarget::kAuto:
      break;
  }
  return JournalSocketExists() ? OpenJournalLog() : OpenFileLog(settings);
}

}  // namespace oci
