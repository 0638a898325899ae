#include "file_log.h"

#include <gtest/gtest.h>
#include <limits.h>
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
using test::WriteFile;

TEST(SanitizeHostnameTest, PlainNamesAreKept) {
  EXPECT_EQ("web-1.example_com", SanitizeHostname("web-1.example_com"));
  EXPECT_EQ("c0ffee", SanitizeHostname("c0ffee"));
}

TEST(SanitizeHostnameTest, ResultIsAlwaysAPlainFileName) {
  const std::string hostnames[] = {
      "../../etc/x", "/etc/passwd", ".", "..", "...", ".hidden", "a/b", "a\nb", "caf\xc3\xa9",
      std::string("a\0b", 3), " ", "*?[]", "a:b;c",
  };
  for (const std::string& hostname : hostnames) {
    std::string name = SanitizeHostname(hostname);
    EXPECT_FALSE(name.empty()) << hostname;
    EXPECT_NE('.', name[0]) << hostname << " -> " << name;
    EXPECT_EQ(std::string::npos,
              name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                     "0123456789._-"))
        << hostname << " -> " << name;
  }
  EXPECT_EQ("_._.._etc_x", SanitizeHostname("../../etc/x"));
  EXPECT_EQ("_", SanitizeHostname("."));
  EXPECT_EQ("_.", SanitizeHostname(".."));
  EXPECT_EQ("caf__", SanitizeHostname("caf\xc3\xa9"));  // each byte of é
}

TEST(SanitizeHostnameTest, EmptyIsUnknown) { EXPECT_EQ("unknown", SanitizeHostname("")); }

TEST(SanitizeHostnameTest, LongNamesFitInAFileName) {
  std::string name = SanitizeHostname(std::string(10000, 'a'));
  EXPECT_EQ(200u, name.size());
  EXPECT_LE((name + "_original.json").size(), static_cast<size_t>(NAME_MAX));
  EXPECT_LE((name + "_modified.json").size(), static_cast<size_t>(NAME_MAX));
}

TEST(RuntimeCallLineTest, RuntimeThenArgumentsOnOneLine) {
  CallContext call;
  call.runtime = "runc";
  call.argv = {"--root", "/r", "create", "--bundle", "/b", "id"};
  EXPECT_EQ("runc --root /r create --bundle /b id\n", RuntimeCallLine(call));
  call.argv = {"exec", "id", "sh", "-c", "echo a\nrm -rf x"};
  std::string line = RuntimeCallLine(call);
  EXPECT_EQ(line.size() - 1, line.find('\n')) << "a newline in an argument cannot forge a line";
  EXPECT_EQ("runc exec id sh -c echo a rm -rf x\n", line);
  call.argv.clear();
  EXPECT_EQ("runc\n", RuntimeCallLine(call));
}

class FileLogTest : public test::TempDirTest {
 protected:
  std::string Debug() const { return Path("var/log/oci-interceptor"); }

  std::unique_ptr<Log> Open(const std::string& dir) {
    Settings settings;
    settings.debug_output_dir = dir;
    return OpenFileLog(settings);
  }

  static CallContext Call(const std::string& hostname = "web") {
    CallContext call;
    call.command = "create";
    call.container_id = "c0ffee";
    call.bundle = "/b";
    call.runtime = "/usr/sbin/runc";
    call.hostname = hostname;
    call.argv = {"create", "--bundle", "/b", "c0ffee"};
    return call;
  }

  static ConfigSnapshots Snapshots(bool modified = true) {
    return ConfigSnapshots{"{\"original\":1}", "{\n  \"parsed\": 1\n}",
                           modified ? "{\n  \"modified\": 1\n}" : ""};
  }

  // Runs f with stderr captured; returns what was printed.
  template <typename F>
  static std::string Stderr(F f) {
    testing::internal::CaptureStderr();
    f();
    return testing::internal::GetCapturedStderr();
  }
};

TEST_F(FileLogTest, WritesTheSeedsFilesPrivately) {
  std::unique_ptr<Log> log = Open(Debug());
  std::string warnings = Stderr([&] {
    log->Configs(Call(), Snapshots());
    log->Forwarded(Call());
    log->Forwarded(Call());
  });
  EXPECT_EQ("", warnings);
  EXPECT_EQ((std::vector<std::string>{"runtime_calls.log", "web_modified.json",
                                      "web_original.json", "web_parsed.json"}),
            ListDir(Debug()));
  EXPECT_EQ(0700, ModeOf(Debug()));
  for (const char* name : {"runtime_calls.log", "web_modified.json", "web_original.json",
                           "web_parsed.json"}) {
    EXPECT_EQ(0600, ModeOf(Debug() + "/" + name)) << name;
  }
  EXPECT_EQ(Snapshots().original, ReadFile(Debug() + "/web_original.json"));
  EXPECT_EQ(Snapshots().parsed, ReadFile(Debug() + "/web_parsed.json"));
  EXPECT_EQ(Snapshots().modified, ReadFile(Debug() + "/web_modified.json"));
  std::string line = RuntimeCallLine(Call());
  EXPECT_EQ(line + line, ReadFile(Debug() + "/runtime_calls.log"));
}

TEST_F(FileLogTest, NoModifiedFileWhenNothingChanged) {
  Stderr([&] { Open(Debug())->Configs(Call(), Snapshots(false)); });
  EXPECT_EQ((std::vector<std::string>{"web_original.json", "web_parsed.json"}),
            ListDir(Debug()));
}

TEST_F(FileLogTest, AnUnchangedCreateRemovesAnEarlierModifiedFile) {
  Stderr([&] { Open(Debug())->Configs(Call(), Snapshots(true)); });
  ASSERT_EQ(Snapshots().modified, ReadFile(Debug() + "/web_modified.json"));
  Stderr([&] { Open(Debug())->Configs(Call(), Snapshots(false)); });
  EXPECT_EQ((std::vector<std::string>{"web_original.json", "web_parsed.json"}),
            ListDir(Debug()));
}

TEST_F(FileLogTest, ExistingFilesAreTruncatedAndMadePrivate) {
  ASSERT_EQ(0, mkdir(Path("d").c_str(), 0700));
  WriteFile(Path("d/web_original.json"), std::string(1000, 'x'), 0644);
  Stderr([&] { Open(Path("d"))->Configs(Call(), Snapshots()); });
  EXPECT_EQ(Snapshots().original, ReadFile(Path("d/web_original.json")));
  EXPECT_EQ(0600, ModeOf(Path("d/web_original.json")));
}

TEST_F(FileLogTest, ContainerIdWhenThereIsNoHostname) {
  Stderr([&] { Open(Debug())->Configs(Call(""), Snapshots(false)); });
  EXPECT_EQ((std::vector<std::string>{"c0ffee_original.json", "c0ffee_parsed.json"}),
            ListDir(Debug()));
}

TEST_F(FileLogTest, HostileHostnameStaysInTheDirectory) {
  ASSERT_EQ(0, mkdir(Path("d").c_str(), 0700));
  Stderr([&] { Open(Path("d"))->Configs(Call("../../escape"), Snapshots(false)); });
  EXPECT_EQ((std::vector<std::string>{"d"}), ListDir(dir_));
  for (const std::string& name : ListDir(Path("d"))) {
    EXPECT_EQ(std::string::npos, name.find('/')) << name;
  }
  EXPECT_EQ(2u, ListDir(Path("d")).size());
}

TEST_F(FileLogTest, SymlinkedDebugDirectoryIsRefused) {
  ASSERT_EQ(0, mkdir(Path("real").c_str(), 0700));
  ASSERT_EQ(0, symlink(Path("real").c_str(), Path("link").c_str()));
  std::string warnings = Stderr([&] {
    std::unique_ptr<Log> log = Open(Path("link"));
    log->Configs(Call(), Snapshots());
    log->Forwarded(Call());
  });
  EXPECT_TRUE(ListDir(Path("real")).empty());
  EXPECT_TRUE(test::Contains(warnings, "oci-interceptor: warning: ")) << warnings;
  EXPECT_TRUE(test::Contains(warnings, Path("link"))) << warnings;
  // One warning, not one per write.
  EXPECT_EQ(warnings.find('\n'), warnings.size() - 1) << warnings;
}

TEST_F(FileLogTest, PlantedSymlinkFileIsNotFollowed) {
  ASSERT_EQ(0, mkdir(Path("d").c_str(), 0700));
  WriteFile(Path("victim"), "precious", 0644);
  ASSERT_EQ(0, symlink(Path("victim").c_str(), Path("d/web_original.json").c_str()));
  ASSERT_EQ(0, symlink(Path("victim").c_str(), Path("d/runtime_calls.log").c_str()));
  std::string warnings = Stderr([&] {
    std::unique_ptr<Log> log = Open(Path("d"));
    log->Configs(Call(), Snapshots());
    log->Forwarded(Call());
  });
  EXPECT_EQ("precious", ReadFile(Path("victim")));
  EXPECT_EQ(0644, ModeOf(Path("victim")));
  EXPECT_TRUE(test::Contains(warnings, "web_original.json")) << warnings;
  // The other files are still written.
  EXPECT_EQ(Snapshots().parsed, ReadFile(Path("d/web_parsed.json")));
}

TEST_F(FileLogTest, PlantedHardLinkIsNotWrittenThrough) {
  ASSERT_EQ(0, mkdir(Path("d").c_str(), 0700));
  WriteFile(Path("victim"), "precious", 0644);
  ASSERT_EQ(0, link(Path("victim").c_str(), Path("d/web_parsed.json").c_str()));
  Stderr([&] { Open(Path("d"))->Configs(Call(), Snapshots()); });
  EXPECT_EQ("precious", ReadFile(Path("victim")));
  EXPECT_EQ(0644, ModeOf(Path("victim")));
}

TEST_F(FileLogTest, DirectoryOfAnotherUserIsRefused) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to chown";
  ASSERT_EQ(0, mkdir(Path("d").c_str(), 0777));
  ASSERT_EQ(0, chown(Path("d").c_str(), 1234, 1234));
  std::string warnings = Stderr([&] { Open(Path("d"))->Configs(Call(), Snapshots()); });
  EXPECT_TRUE(ListDir(Path("d")).empty());
  EXPECT_TRUE(test::Contains(warnings, "owned by another user")) << warnings;
}

TEST_F(FileLogTest, RelativeDirectoryIsRefused) {
  std::string err;
  EXPECT_EQ(-1, OpenDebugDirectory("relative/dir", &err));
  EXPECT_TRUE(test::Contains(err, "not an absolute path")) << err;
}

TEST_F(FileLogTest, OpenDebugDirectoryCreatesParents) {
  std::string err;
  int fd = OpenDebugDirectory(Path("a/b/c"), &err);
  ASSERT_GE(fd, 0) << err;
  close(fd);
  EXPECT_EQ(0700, ModeOf(Path("a/b/c")));
  // An existing directory is used as it is.
  fd = OpenDebugDirectory(Path("a/b/c"), &err);
  ASSERT_GE(fd, 0) << err;
  close(fd);
}

TEST_F(FileLogTest, ChangedAndErrorNeverFail) {
  std::unique_ptr<Log> log = Open(Path("missing-parent-is-created"));
  std::string warnings = Stderr([&] {
    log->Changed(Call(), {"readonly:/etc/hosts"});
    log->Error(Call(), "boom");
  });
  EXPECT_EQ("", warnings);
}

}  // namespace
}  // namespace oci
