#include "file_util.h"

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

std::string DirName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace oci
