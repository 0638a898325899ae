#include "error_report.h"

#include <fcntl.h>
#include <json/writer.h>
#include <unistd.h>

#include "file_util.h"

namespace oci {

namespace {

std::string Prefixed(const std::string& message) { return "oci-interceptor: " + message; }

}  // namespace

std::string StderrLine(const std::string& message) {
  return "oci-interceptor: error: " + message + "\n";
}

std::string Rfc3339(const struct timespec& now) {
  struct tm utc;
  gmtime_r(&now.tv_sec, &utc);
  char seconds[32];
  strftime(seconds, sizeof seconds, "%Y-%m-%dT%H:%M:%S", &utc);
  char out[64];
  snprintf(out, sizeof out, "%s.%09ldZ", seconds, static_cast<long>(now.tv_nsec));
  return out;
}

std::string JsonLogLine(const std::string& message, const struct timespec& now) {
  return "{\"level\":\"error\",\"msg\":" + Json::valueToQuotedString(Prefixed(message).c_str()) +
         ",\"time\":\"" + Rfc3339(now) + "\"}\n";
}

std::string TextLogLine(const std::string& message, const struct timespec& now) {
  return "time=\"" + Rfc3339(now) + "\" level=error msg=" +
         Json::valueToQuotedString(Prefixed(message).c_str()) + "\n";
}

std::string LogFileOf(const std::string& log_path) {
  if (log_path.compare(0, 5, "file:") == 0) return log_path.substr(5);
  if (log_path.compare(0, 9, "journald:") == 0 || log_path.compare(0, 7, "syslog:") == 0) return "";
  return log_path;
}

void ReportError(const std::string& message, const std::string& log_path,
                 const std::string& log_format) {
  std::string ignored;
  WriteAll(STDERR_FILENO, StderrLine(message), &ignored);
  std::string log_file = LogFileOf(log_path);
  if (log_file.empty()) return;
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  int fd = open(log_file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return;  // the engine then shows stderr or the exit status
  FileDescriptor file(fd);
  WriteAll(fd, log_format == "json" ? JsonLogLine(message, now) : TextLogLine(message, now),
           &ignored);
}

}  // namespace oci
