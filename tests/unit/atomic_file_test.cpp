#include "atomic_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "test_util.h"

namespace oci {
namespace {

using test::ListDir;
using test::ModeOf;
using test::ReadFile;
using test::ScopedMount;
using test::WriteFile;

class AtomicFileTest : public test::TempDirTest {};

TEST_F(AtomicFileTest, ReplacesContent) {
  WriteFile(Path("config.json"), "old content that is longer than the new one");
  std::string err;
  ASSERT_TRUE(ReplaceFileAtomically(Path("config.json"), "new", &err)) << err;
  EXPECT_EQ("new", ReadFile(Path("config.json")));
  EXPECT_EQ(std::vector<std::string>{"config.json"}, ListDir(dir_));
}

TEST_F(AtomicFileTest, ReplacesWithANewInode) {
  WriteFile(Path("config.json"), "old");
  struct stat before, after;
  ASSERT_EQ(0, stat(Path("config.json").c_str(), &before));
  std::string err;
  ASSERT_TRUE(ReplaceFileAtomically(Path("config.json"), "new", &err)) << err;
  ASSERT_EQ(0, stat(Path("config.json").c_str(), &after));
  // A reader holding the old file sees the old content, never a mix.
  EXPECT_NE(before.st_ino, after.st_ino);
}

TEST_F(AtomicFileTest, KeepsBinaryContentExactly) {
  WriteFile(Path("f"), "x");
  std::string content("a\0b\n\xff\r\n", 7);
  std::string err;
  ASSERT_TRUE(ReplaceFileAtomically(Path("f"), content, &err)) << err;
  EXPECT_EQ(content, ReadFile(Path("f")));
  ASSERT_TRUE(ReplaceFileAtomically(Path("f"), "", &err)) << err;
  EXPECT_EQ("", ReadFile(Path("f")));
}

TEST_F(AtomicFileTest, KeepsTheMode) {
  for (int mode : {0600, 0640, 0444, 0755}) {
    WriteFile(Path("config.json"), "old", static_cast<mode_t>(mode));
    std::string err;
    ASSERT_TRUE(ReplaceFileAtomically(Path("config.json"), "new", &err)) << err;
    EXPECT_EQ(mode, ModeOf(Path("config.json")));
    EXPECT_EQ("new", ReadFile(Path("config.json")));
  }
}

TEST_F(AtomicFileTest, KeepsTheOwner) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to chown";
  WriteFile(Path("config.json"), "old", 0640);
  ASSERT_EQ(0, chown(Path("config.json").c_str(), 1234, 5678));
  std::string err;
  ASSERT_TRUE(ReplaceFileAtomically(Path("config.json"), "new", &err)) << err;
  struct stat st;
  ASSERT_EQ(0, stat(Path("config.json").c_str(), &st));
  EXPECT_EQ(1234u, st.st_uid);
  EXPECT_EQ(5678u, st.st_gid);
  EXPECT_EQ(0640, ModeOf(Path("config.json")));
}

TEST_F(AtomicFileTest, NewFileGetsTheGivenMode) {
  std::string err;
  ASSERT_TRUE(ReplaceFileAtomically(Path("a"), "x", &err)) << err;
  EXPECT_EQ(0644, ModeOf(Path("a")));
  mode_t old_umask = umask(0077);
  bool ok = ReplaceFileAtomically(Path("b"), "y", &err, 0640);
  umask(old_umask);
  ASSERT_TRUE(ok) << err;
  EXPECT_EQ(0640, ModeOf(Path("b")));  // not narrowed by the umask
  EXPECT_EQ("y", ReadFile(Path("b")));
}

TEST_F(AtomicFileTest, ReadOnlyDirectoryLeavesTheOldFile) {
  std::string bundle = MakeDir("bundle");
  WriteFile(bundle + "/config.json", "{\"old\":true}", 0600);
  ScopedMount ro = ScopedMount::ReadOnlyBind(bundle);
  if (!ro.mounted()) GTEST_SKIP() << "cannot bind-mount here";
  std::string err;
  EXPECT_FALSE(ReplaceFileAtomically(bundle + "/config.json", "{\"new\":true}", &err));
  EXPECT_NE(std::string::npos, err.find("Read-only file system")) << err;
  EXPECT_NE(std::string::npos, err.find(bundle)) << err;
  EXPECT_EQ("{\"old\":true}", ReadFile(bundle + "/config.json"));
  EXPECT_EQ(std::vector<std::string>{"config.json"}, ListDir(bundle));
  EXPECT_EQ(0600, ModeOf(bundle + "/config.json"));
}

TEST_F(AtomicFileTest, FullFilesystemLeavesTheOldFileAndNoTemporary) {
  std::string bundle = MakeDir("bundle");
  ScopedMount tmpfs = ScopedMount::Tmpfs(bundle, 64 * 1024);
  if (!tmpfs.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here";
  std::string old = "{\"old\":\"" + std::string(1000, 'x') + "\"}";
  WriteFile(bundle + "/config.json", old, 0640);
  std::string err;
  EXPECT_FALSE(ReplaceFileAtomically(bundle + "/config.json", std::string(1 << 20, 'y'), &err));
  EXPECT_NE(std::string::npos, err.find("No space left on device")) << err;
  EXPECT_EQ(old, ReadFile(bundle + "/config.json"));
  EXPECT_EQ(std::vector<std::string>{"config.json"}, ListDir(bundle));
  EXPECT_EQ(0640, ModeOf(bundle + "/config.json"));
  // The space of the failed temporary file is given back.
  std::string retry_err;
  EXPECT_TRUE(ReplaceFileAtomically(bundle + "/config.json", "{}", &retry_err)) << retry_err;
}

TEST_F(AtomicFileTest, RenameFailureLeavesNoTemporary) {
  // A directory where the file should be: rename() of a file over it fails.
  std::string target = MakeDir("config.json");
  WriteFile(target + "/inside", "kept");
  std::string err;
  EXPECT_FALSE(ReplaceFileAtomically(target, "new", &err));
  EXPECT_NE(std::string::npos, err.find("cannot rename")) << err;
  EXPECT_EQ(std::vector<std::string>{"config.json"}, ListDir(dir_));
  EXPECT_EQ("kept", ReadFile(target + "/inside"));
}

TEST_F(AtomicFileTest, MissingDirectoryIsAnError) {
  std::string err;
  EXPECT_FALSE(ReplaceFileAtomically(Path("missing/config.json"), "x", &err));
  EXPECT_NE(std::string::npos, err.find(Path("missing"))) << err;
  EXPECT_TRUE(ListDir(dir_).empty());
}

TEST_F(AtomicFileTest, RelativePathInTheCurrentDirectory) {
  char cwd[4096];
  ASSERT_NE(nullptr, getcwd(cwd, sizeof cwd));
  ASSERT_EQ(0, chdir(dir_.c_str()));
  WriteFile("config.json", "old", 0600);
  std::string err;
  bool ok = ReplaceFileAtomically("config.json", "new", &err);
  ASSERT_EQ(0, chdir(cwd));
  ASSERT_TRUE(ok) << err;
  EXPECT_EQ("new", ReadFile(Path("config.json")));
  EXPECT_EQ(0600, ModeOf(Path("config.json")));
  EXPECT_EQ(std::vector<std::string>{"config.json"}, ListDir(dir_));
}

}  // namespace
}  // namespace oci
