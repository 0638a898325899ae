// Small POSIX file helpers shared by the modules that touch disk.
#pragma once

#include <sys/stat.h>

#include <string>

namespace oci {

/// Owns a file descriptor and closes it on scope exit.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd = -1) : fd_(fd) {}
  ~FileDescriptor();
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }
  /// Closes now, reporting the error close() gives.
  bool Close(std::string* err);

 private:
  int fd_;
};

/// Reads an open descriptor to its end; err is strerror text.
bool ReadAll(int fd, std::string* out, std::string* err);

/// Writes all of data, retrying short writes and EINTR; err is strerror text.
bool WriteAll(int fd, const std::string& data, std::string* err);

/// How ReadRegularFile treats a path.
struct ReadPolicy {
  bool follow_symlink = true;  // false: a symlink is refused, never followed
  bool missing_ok = false;     // true: a missing file is no error (*found = false)
  off_t max_size = 0;          // 0: no limit
  std::string symlink_hint;    // appended to the symlink refusal
};

/// Reads a whole regular file by policy; errors name the path. found and st
/// may be null.
bool ReadRegularFile(const std::string& path, const ReadPolicy& policy, std::string* text,
                     bool* found, struct stat* st, std::string* err);

/// The directory part of a path ("." when there is none).
std::string DirName(const std::string& path);

}  // namespace oci
