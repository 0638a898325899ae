#include "spec_rewrite.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "spec.h"
#include "test_util.h"

namespace oci {
namespace {

using test::ListDir;
using test::ModeOf;
using test::ReadFile;
using test::ScopedMount;
using test::WriteFile;

const char kDockerLike[] = R"({"ociVersion":"1.0.2-dev","hostname":"web",
 "process":{"env":["PATH=/bin"],"rlimits":[{"type":"RLIMIT_NOFILE","hard":18446744073709551615,"soft":1024}]},
 "mounts":[{"destination":"/etc/hosts","type":"bind","source":"/h","options":["rbind","rprivate"]}],
 "x-unknown":{"k":"\u00e9"}})";

Settings ReadonlySettings() {
  Settings settings;
  settings.readonly_networking_mounts = true;
  return settings;
}

class SpecRewriteTest : public test::TempDirTest {
 protected:
  std::string Config() const { return Path("config.json"); }

  // Expects RewriteSpec to fail with a message holding message_part, and the
  // bundle exactly as before.
  void ExpectRefused(const std::string& content, const Settings& settings,
                     const std::string& message_part) {
    SCOPED_TRACE(content.substr(0, 80));
    WriteFile(Config(), content, 0640);
    struct stat before;
    ASSERT_EQ(0, stat(Config().c_str(), &before));
    RewriteResult result;
    std::string err;
    EXPECT_FALSE(RewriteSpec(Config(), settings, false, &result, &err));
    EXPECT_NE(std::string::npos, err.find(message_part)) << err;
    EXPECT_NE(std::string::npos, err.find(Config())) << "names the file: " << err;
    EXPECT_EQ(content, ReadFile(Config()));
    EXPECT_EQ(std::vector<std::string>{"config.json"}, ListDir(dir_));
    struct stat after;
    ASSERT_EQ(0, stat(Config().c_str(), &after));
    EXPECT_EQ(before.st_ino, after.st_ino);
    EXPECT_EQ(0640, ModeOf(Config()));
  }
};

TEST_F(SpecRewriteTest, NoChangeLeavesTheFileUntouched) {
  const char kAlreadyRo[] =
      R"({"mounts":[{"destination":"/etc/hosts","options":["ro"]}],   "spacing":  "odd"})";
  WriteFile(Config(), kAlreadyRo, 0600);
  // An old mtime, so a rewrite within the same clock tick would still show.
  struct timespec times[2] = {{1000000000, 0}, {1000000000, 0}};
  ASSERT_EQ(0, utimensat(AT_FDCWD, Config().c_str(), times, 0));
  struct stat before;
  ASSERT_EQ(0, stat(Config().c_str(), &before));

  RewriteResult result;
  std::string err;
  ASSERT_TRUE(RewriteSpec(Config(), ReadonlySettings(), false, &result, &err)) << err;
  EXPECT_TRUE(result.changes.empty());
  struct stat after;
  ASSERT_EQ(0, stat(Config().c_str(), &after));
  EXPECT_EQ(before.st_ino, after.st_ino);
  EXPECT_EQ(before.st_mtim.tv_sec, after.st_mtim.tv_sec);
  EXPECT_EQ(before.st_mtim.tv_nsec, after.st_mtim.tv_nsec);
  EXPECT_EQ(kAlreadyRo, ReadFile(Config()));
  EXPECT_EQ(std::vector<std::string>{"config.json"}, ListDir(dir_));
}

TEST_F(SpecRewriteTest, ChangeWritesNewContentAndKeepsTheMode) {
  WriteFile(Config(), kDockerLike, 0640);
  RewriteResult result;
  std::string err;
  ASSERT_TRUE(RewriteSpec(Config(), ReadonlySettings(), false, &result, &err)) << err;
  EXPECT_EQ(Changes{"readonly:/etc/hosts"}, result.changes);
  EXPECT_EQ("web", result.hostname);
  EXPECT_EQ(0640, ModeOf(Config()));
  EXPECT_EQ(std::vector<std::string>{"config.json"}, ListDir(dir_));

  Json::Value expected, written;
  ASSERT_TRUE(ParseSpec(kDockerLike, &expected, &err)) << err;
  expected["mounts"][0]["options"].append("ro");
  std::string text = ReadFile(Config());
  ASSERT_TRUE(ParseSpec(text, &written, &err)) << err;
  EXPECT_EQ(expected, written);
  EXPECT_NE(std::string::npos, text.find("18446744073709551615"));
}

TEST_F(SpecRewriteTest, SnapshotsWhenAsked) {
  WriteFile(Config(), kDockerLike);
  Settings settings = ReadonlySettings();
  settings.env.push_back(EnvRule{"A", "1", Origin::CommandLine()});
  RewriteResult result;
  std::string err;
  ASSERT_TRUE(RewriteSpec(Config(), settings, true, &result, &err)) << err;
  EXPECT_EQ(kDockerLike, result.snapshots.original);
  Json::Value parsed, modified, on_disk;
  ASSERT_TRUE(ParseSpec(result.snapshots.parsed, &parsed, &err)) << err;
  ASSERT_TRUE(ParseSpec(result.snapshots.modified, &modified, &err)) << err;
  ASSERT_TRUE(ParseSpec(ReadFile(Config()), &on_disk, &err)) << err;
  Json::Value original;
  ASSERT_TRUE(ParseSpec(kDockerLike, &original, &err)) << err;
  EXPECT_EQ(original, parsed);
  EXPECT_EQ(on_disk, modified);
  EXPECT_NE(parsed, modified);

  // Without changes there is no modified snapshot.
  RewriteResult second;
  ASSERT_TRUE(RewriteSpec(Config(), settings, true, &second, &err)) << err;
  EXPECT_TRUE(second.changes.empty());
  EXPECT_EQ("", second.snapshots.modified);
  EXPECT_FALSE(second.snapshots.original.empty());
}

TEST_F(SpecRewriteTest, NoSnapshotsUnlessAsked) {
  WriteFile(Config(), kDockerLike);
  RewriteResult result;
  std::string err;
  ASSERT_TRUE(RewriteSpec(Config(), ReadonlySettings(), false, &result, &err)) << err;
  EXPECT_EQ("", result.snapshots.original);
  EXPECT_EQ("", result.snapshots.modified);
}

TEST_F(SpecRewriteTest, BadInputsAreRefusedAndLoseNothing) {
  Settings all = ReadonlySettings();
  all.env.push_back(EnvRule{"A", "1", Origin::CommandLine()});
  all.env_force.push_back(EnvRule{"B", "2", Origin::CommandLine()});
  struct Case {
    std::string content;
    const char* message_part;
  };
  const Case cases[] = {
      {"", "invalid JSON"},
      {R"({"mounts":[{"destination":"/etc/hosts")", "invalid JSON"},  // truncated
      {"not json", "invalid JSON"},
      {"[]", "not a JSON object"},
      {R"({"a":1} {"b":2})", "invalid JSON"},
      {R"({"process":"sh"})", "process is not an object"},
      {R"({"process":{"env":{}}})", "process.env is not an array"},
      {R"({"process":{"env":[1]}})", "process.env[0] is not a string"},
      {R"({"mounts":{}})", "mounts is not an array"},
      {R"({"mounts":[{"destination":"/etc/hosts","options":"rw"}]})",
       "mounts[0].options is not an array"},
      {R"({"mounts":[{"destination":"/etc/hosts","options":[true]}]})",
       "mounts[0].options[0] is not a string"},
  };
  for (const Case& c : cases) ExpectRefused(c.content, all, c.message_part);
}

TEST_F(SpecRewriteTest, MissingBundleIsAnError) {
  RewriteResult result;
  std::string err;
  std::string missing = Path("no-bundle/config.json");
  EXPECT_FALSE(RewriteSpec(missing, ReadonlySettings(), false, &result, &err));
  EXPECT_NE(std::string::npos, err.find(missing)) << err;
  EXPECT_TRUE(ListDir(dir_).empty());
}

TEST_F(SpecRewriteTest, SymlinkedConfigIsRefused) {
  WriteFile(Path("elsewhere.json"), kDockerLike);
  ASSERT_EQ(0, symlink("elsewhere.json", Config().c_str()));
  RewriteResult result;
  std::string err;
  EXPECT_FALSE(RewriteSpec(Config(), ReadonlySettings(), false, &result, &err));
  EXPECT_NE(std::string::npos, err.find("symlink")) << err;
  EXPECT_EQ(kDockerLike, ReadFile(Path("elsewhere.json")));
  EXPECT_EQ((std::vector<std::string>{"config.json", "elsewhere.json"}), ListDir(dir_));
}

TEST_F(SpecRewriteTest, WriteFailureLosesNothing) {
  std::string bundle = Path("bundle");
  ASSERT_EQ(0, mkdir(bundle.c_str(), 0755));
  WriteFile(bundle + "/config.json", kDockerLike, 0600);
  ScopedMount ro = ScopedMount::ReadOnlyBind(bundle);
  if (!ro.mounted()) GTEST_SKIP() << "cannot bind-mount here";
  RewriteResult result;
  std::string err;
  EXPECT_FALSE(RewriteSpec(bundle + "/config.json", ReadonlySettings(), false, &result, &err));
  EXPECT_NE(std::string::npos, err.find("Read-only file system")) << err;
  EXPECT_EQ(kDockerLike, ReadFile(bundle + "/config.json"));
  EXPECT_EQ(std::vector<std::string>{"config.json"}, ListDir(bundle));
}

}  // namespace
}  // namespace oci
