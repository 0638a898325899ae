#include "file_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "file_util.h"

namespace oci {

namespace {

constexpr size_t kMaxHostnamePrefix = 200;  // leaves room for "_modified.json" in NAME_MAX

void Warn(const std::string& message) {
  std::string ignored;
  WriteAll(STDERR_FILENO, "oci-interceptor: warning: " + message + "\n", &ignored);
}

// Creates each missing component; the last one 0700 since configs hold secrets.
bool MakeDirectories(const std::string& path, std::string* err) {
  for (size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
    std::string prefix = path.substr(0, slash);
    bool last = slash == std::string::npos;
    if (!prefix.empty() && mkdir(prefix.c_str(), last ? 0700 : 0755) != 0 && errno != EEXIST) {
      *err = "cannot create " + prefix + ": " + strerror(errno);
      return false;
    }
    if (last) return true;
  }
}

class FileLog : public Log {
 public:
  explicit FileLog(std::string dir) : dir_(std::move(dir)) {}
  ~FileLog() override {
    if (dir_fd_ >= 0) close(dir_fd_);
  }

  void Changed(const CallContext&, const std::vector<std::string>&) override {}
  void Error(const CallContext&, const std::string&) override {}

  void Configs(const CallContext& call, const ConfigSnapshots& configs) override {
    std::string prefix = SanitizeHostname(call.hostname.empty() ? call.container_id
                                                                : call.hostname);
    Write(prefix + "_original.json", configs.original, O_TRUNC);
    Write(prefix + "_parsed.json", configs.parsed, O_TRUNC);
    if (!configs.modified.empty()) {
      Write(prefix + "_modified.json", configs.modified, O_TRUNC);
    } else if (OpenDirectory()) {
      // An earlier call's file would no longer match _original.json beside it.
      unlinkat(dir_fd_, (prefix + "_modified.json").c_str(), 0);
    }
  }

  void Forwarded(const CallContext& call) override {
    Write("runtime_calls.log", RuntimeCallLine(call), O_APPEND);
  }

 private:
  bool OpenDirectory() {
    if (dir_fd_ >= 0) return true;
    if (failed_) return false;
    std::string err;
    dir_fd_ = OpenDebugDirectory(dir_, &err);
    if (dir_fd_ < 0) {
      failed_ = true;
      Warn("debug output disabled: " + err);
    }
    return dir_fd_ >= 0;
  }

  // One write() per record, so concurrent calls never interleave a line.
  void Write(const std::string& name, const std::string& content, int mode_flag) {
    if (!OpenDirectory()) return;
    // O_TRUNC waits for the checks below: opening with it would already
    // empty the file a planted hard link points at.
    int fd = openat(dir_fd_, name.c_str(),
                    O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK |
                        (mode_flag == O_APPEND ? O_APPEND : 0),
                    0600);
    if (fd < 0) {
      Warn("cannot write " + dir_ + "/" + name + ": " + strerror(errno));
      return;
    }
    FileDescriptor file(fd);
    struct stat st;
    // A hard link planted in the directory could point at any file.
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1) {
      Warn("refusing " + dir_ + "/" + name + ": not a plain file");
      return;
    }
    if (mode_flag == O_TRUNC && ftruncate(fd, 0) != 0) return;
    fchmod(fd, 0600);
    std::string err;
    if (!WriteAll(fd, content, &err)) Warn("cannot write " + dir_ + "/" + name + ": " + err);
  }

  std::string dir_;
  int dir_fd_ = -1;
  bool failed_ = false;
};

}  // namespace

std::string SanitizeHostname(const std::string& hostname) {
  std::string out;
  for (char c : hostname.substr(0, kMaxHostnamePrefix)) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '-';
    out += plain ? c : '_';
  }
  if (!out.empty() && out[0] == '.') out[0] = '_';
  return out.empty() ? "unknown" : out;
}

std::string RuntimeCallLine(const CallContext& call) {
  std::string line = call.runtime;
  for (const std::string& arg : call.argv) line += " " + arg;
  for (char& c : line) {
    if (c == '\n') c = ' ';
  }
  return line + "\n";
}

int OpenDebugDirectory(const std::string& path, std::string* err) {
  if (path.empty() || path[0] != '/') {
    *err = "debug-output-dir " + path + " is not an absolute path";
    return -1;
  }
  if (!MakeDirectories(path, err)) return -1;
  int fd = open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    *err = "cannot open " + path + ": " +
           (errno == ELOOP || errno == ENOTDIR ? std::string("not a directory (symlink?)")
                                               : strerror(errno));
    return -1;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || st.st_uid != geteuid()) {
    close(fd);
    *err = path + " is owned by another user";
    return -1;
  }
  return fd;
}

std::unique_ptr<Log> OpenFileLog(const Settings& settings) {
  return std::make_unique<FileLog>(settings.debug_output_dir);
}

}  // namespace oci
