#include "file_util.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace oci {

FileDescriptor::~FileDescriptor() {
  if (fd_ >= 0) close(fd_);
}

bool FileDescriptor::Close(std::string* err) {
  int fd = fd_;
  fd_ = -1;
  if (fd >= 0 && close(fd) != 0) {
    *err = strerror(errno);
    return false;
  }
  return true;
}

bool ReadAll(int fd, std::string* out, std::string* err) {
  char buffer[65536];
  for (;;) {
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      *err = strerror(errno);
      return false;
    }
    if (n == 0) return true;
    out->append(buffer, static_cast<size_t>(n));
  }
}

bool WriteAll(int fd, const std::string& data, std::string* err) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      *err = strerror(errno);
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return true;
}

bool ReadRegularFile(const std::string& path, const ReadPolicy& policy, std::string* text,
                     bool* found, struct stat* st, std::string* err) {
  if (found) *found = false;
  // O_NONBLOCK: a FIFO planted at the path must not hang us in open().
  int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | (policy.follow_symlink ? 0 : O_NOFOLLOW);
  FileDescriptor file(open(path.c_str(), flags));
  if (file.get() < 0) {
    if (errno == ENOENT && policy.missing_ok) return true;
    *err = errno == ELOOP && !policy.follow_symlink
               ? path + " is a symbolic link, refusing to follow symlinks" + policy.symlink_hint
               : "cannot open " + path + ": " + strerror(errno);
    return false;
  }
  struct stat local;
  if (!st) st = &local;
  if (fstat(file.get(), st) != 0) {
    *err = "cannot stat " + path + ": " + strerror(errno);
    return false;
  }
  if (!S_ISREG(st->st_mode)) {
    *err = path + " is not a regular file";
    return false;
  }
  if (policy.max_size > 0 && st->st_size > policy.max_size) {
    *err = path + " is larger than " + std::to_string(policy.max_size >> 20) + " MiB";
    return false;
  }
  std::string io_err;
  if (!ReadAll(file.get(), text, &io_err)) {
    *err = "cannot read " + path + ": " + io_err;
    return false;
  }
  if (found) *found = true;
  return true;
}

std::string DirName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace oci
