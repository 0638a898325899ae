// Errors of ours: stderr, plus the runtime's --log file so engines show them.
#pragma once

#include <ctime>
#include <string>

namespace oci {

/// "oci-interceptor: error: MESSAGE\n", as printed on stderr.
std::string StderrLine(const std::string& message);

/// One --log-format json line: {"level":"error","msg":"oci-interceptor: ...","time":"..."}.
std::string JsonLogLine(const std::string& message, const struct timespec& now);

/// One logrus text line: time="..." level=error msg="oci-interceptor: ...".
std::string TextLogLine(const std::string& message, const struct timespec& now);

/// RFC 3339 UTC time with nanoseconds, as runc's logrus writes it.
std::string Rfc3339(const struct timespec& now);

/// The file a runtime's --log names: crun also takes "file:PATH" and
/// "journald:ID" / "syslog:ID" (no file: "").
std::string LogFileOf(const std::string& log_path);

/// Prints the error on stderr and, when log_path names a file, appends one
/// line in log_format ("json" or text) to it.
void ReportError(const std::string& message, const std::string& log_path,
                 const std::string& log_format);

}  // namespace oci
