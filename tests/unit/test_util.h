// Helpers shared by the unit tests: a temporary directory fixture and small
// file utilities. Header-only, since tests/CMakeLists.txt globs *_test.cpp.
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace oci {
namespace test {

/// True when needle occurs in haystack.
inline bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

/// Writes content to path (truncating) and sets its mode.
inline void WriteFile(const std::string& path, const std::string& content, mode_t mode = 0644) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  ASSERT_TRUE(out) << "cannot write " << path;
  out << content;
  out.close();
  ASSERT_EQ(0, chmod(path.c_str(), mode)) << path;
}

/// The bytes of a file; "<missing>" when it cannot be opened.
inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "<missing>";
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

/// Permission bits of path, or -1 when it cannot be stat'ed (no link following).
inline int ModeOf(const std::string& path) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 07777);
}

/// The names in a directory, sorted, without "." and "..".
inline std::vector<std::string> ListDir(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = opendir(dir.c_str());
  if (!d) return names;
  while (struct dirent* entry = readdir(d)) {
    std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

/// Names and contents of every file in dir, for "nothing changed" checks.
inline std::vector<std::pair<std::string, std::string>> Snapshot(const std::string& dir) {
  std::vector<std::pair<std::string, std::string>> files;
  for (const std::string& name : ListDir(dir)) files.emplace_back(name, ReadFile(dir + "/" + name));
  return files;
}

/// A mount made for one test and undone when it goes out of scope. mounted()
/// is false when this machine or user cannot mount (the test then skips).
class ScopedMount {
 public:
  /// A tmpfs of size bytes on dir.
  static ScopedMount Tmpfs(const std::string& dir, size_t size) {
    std::string options = "size=" + std::to_string(size) + ",mode=0755";
    return ScopedMount(dir, mount("tmpfs", dir.c_str(), "tmpfs", 0, options.c_str()) == 0);
  }
  /// dir bind-mounted read-only onto itself.
  static ScopedMount ReadOnlyBind(const std::string& dir) {
    if (mount(dir.c_str(), dir.c_str(), nullptr, MS_BIND, nullptr) != 0) return {dir, false};
    ScopedMount bound(dir, true);
    bound.mounted_ =
        mount(nullptr, dir.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr) == 0;
    if (!bound.mounted_) umount2(dir.c_str(), MNT_DETACH);
    return bound;
  }
  ScopedMount(ScopedMount&& other) : dir_(other.dir_), mounted_(other.mounted_) {
    other.mounted_ = false;
  }
  ~ScopedMount() {
    if (mounted_) umount2(dir_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }

 private:
  ScopedMount(std::string dir, bool mounted) : dir_(std::move(dir)), mounted_(mounted) {}
  std::string dir_;
  bool mounted_;
};

/// A fixture owning a fresh temporary directory, removed in TearDown.
class TempDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char templ[] = "/tmp/oi-unit-XXXXXX";
    ASSERT_NE(nullptr, mkdtemp(templ));
    dir_ = templ;
  }
  void TearDown() override {
    std::error_code ignored;
    // Undo chmods a test made, so removal cannot fail on a non-root run.
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ignored);
    std::filesystem::remove_all(dir_, ignored);
  }
  /// DIR/name.
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  /// DIR/name as a fresh directory.
  std::string MakeDir(const std::string& name) {
    std::string path = Path(name);
    EXPECT_EQ(0, mkdir(path.c_str(), 0755)) << path;
    return path;
  }

  std::string dir_;
};

}  // namespace test
}  // namespace oci
