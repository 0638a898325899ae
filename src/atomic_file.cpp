#include "atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "file_util.h"

namespace oci {

bool ReplaceFileAtomically(const std::string& path, const std::string& content,
                           std::string* err, mode_t new_file_mode) {
  struct stat old;
  bool existed = stat(path.c_str(), &old) == 0;
  if (!existed && errno != ENOENT) {
    *err = "cannot stat " + path + ": " + strerror(errno);
    return false;
  }

  std::string dir = DirName(path);
  std::string base = path.substr(path.find_last_of('/') + 1);
  // A dot-name in the same directory, so rename() never crosses filesystems.
  std::string temp = dir + "/." + base + ".oi-tmp-XXXXXX";
  int fd = mkostemp(&temp[0], O_CLOEXEC);
  if (fd < 0) {
    *err = "cannot create a temporary file in " + dir + ": " + strerror(errno);
    return false;
  }
  FileDescriptor file(fd);
  auto fail = [&](const std::string& what) {
    *err = what;
    unlink(temp.c_str());
    return false;
  };

  mode_t mode = existed ? (old.st_mode & 07777) : new_file_mode;
  if (fchmod(fd, mode) != 0) return fail("cannot set mode of " + temp + ": " + strerror(errno));
  if (existed && (old.st_uid != geteuid() || old.st_gid != getegid()) &&
      fchown(fd, old.st_uid, old.st_gid) != 0) {
    return fail("cannot keep the owner of " + path + ": " + strerror(errno));
  }
  std::string io_err;
  if (!WriteAll(fd, content, &io_err)) return fail("cannot write " + temp + ": " + io_err);
  if (fsync(fd) != 0) return fail("cannot fsync " + temp + ": " + strerror(errno));
  if (!file.Close(&io_err)) return fail("cannot close " + temp + ": " + io_err);
  if (rename(temp.c_str(), path.c_str()) != 0) {
    return fail("cannot rename " + temp + " to " + path + ": " + strerror(errno));
  }
  // The rename is durable only once the directory entry is on disk.
  int dir_fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    fsync(dir_fd);
    close(dir_fd);
  }
  return true;
}

}  // namespace oci
