// exec-env: `exec --process FILE` is found in every spelling runc accepts, and
// the process file gets the env rules, atomically, only when they change it.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "invocation.h"
#include "spec.h"
#include "spec_rewrite.h"
#include "test_util.h"

namespace oci {
namespace {

struct ExecCase {
  std::vector<std::string> args;
  std::string process_path;
  std::string container_id;
};

TEST(ExecInvocationTest, FindsTheProcessFileAndTheContainer) {
  const ExecCase kCases[] = {
      // as dockerd's shim calls it
      {{"--root", "/run/docker/runtime-runc/moby", "--log", "/b/log.json", "--log-format", "json",
        "exec", "--process", "/tmp/runc-process123", "--detach", "--pid-file", "/b/x.pid", "cid"},
       "/tmp/runc-process123", "cid"},
      {{"exec", "-p", "/p.json", "cid"}, "/p.json", "cid"},
      {{"exec", "-p=/p.json", "cid"}, "/p.json", "cid"},
      {{"exec", "--process=/p.json", "cid"}, "/p.json", "cid"},
      {{"exec", "-process", "/p.json", "-t", "cid"}, "/p.json", "cid"},
      {{"exec", "--env", "-p", "--cwd", "/", "cid", "sh"}, "", "cid"},
      {{"exec", "-e", "A=1", "--user", "0:0", "cid", "sh", "-p", "/x"}, "", "cid"},
      {{"exec", "--", "cid", "sh"}, "", "cid"},
      {{"exec"}, "", ""},
  };
  for (const ExecCase& c : kCases) {
    Invocation call = ParseInvocation(c.args);
    std::string joined;
    for (const std::string& a : c.args) joined += a + " ";
    EXPECT_EQ("exec", call.command) << joined;
    EXPECT_FALSE(call.intercepted) << joined;
    EXPECT_EQ(c.process_path, call.process_path) << joined;
    EXPECT_EQ(c.container_id, call.container_id) << joined;
    EXPECT_EQ(c.args, call.args) << joined;
  }
}

TEST(ExecInvocationTest, OnlyExecHasAProcessFile) {
  EXPECT_EQ("", ParseInvocation({"create", "-p", "/p.json", "cid"}).process_path);
  EXPECT_EQ("", ParseInvocation({"run", "--process", "/p.json", "cid"}).process_path);
  EXPECT_EQ("", ParseInvocation({"state", "cid"}).process_path);
}

class RewriteProcessFileTest : public test::TempDirTest {
 protected:
  Settings EnvSettings() {
    Settings s;
    std::string err;
    EXPECT_TRUE(s.SetItem("env-force", "OI_FORCED=yes", Origin::CommandLine(), &err)) << err;
    EXPECT_TRUE(s.SetItem("env", "TZ=UTC", Origin::CommandLine(), &err)) << err;
    EXPECT_TRUE(s.SetItem("env-unset", "TOKEN", Origin::CommandLine(), &err)) << err;
    EXPECT_TRUE(s.SetItem("exec-env", "true", Origin::CommandLine(), &err)) << err;
    EXPECT_TRUE(s.SetItem("pids-limit", "5", Origin::CommandLine(), &err)) << err;
    return s;
  }
};

TEST_F(RewriteProcessFileTest, AppliesTheEnvRulesOnly) {
  std::string path = Path("process.json");
  test::WriteFile(path,
                  R"({"args":["sh"],"env":["PATH=/bin","TOKEN=t","OI_FORCED=no"],"cwd":"/",)"
                  R"("user":{"uid":0,"gid":0},"rlimits":[{"type":"RLIMIT_NOFILE",)"
                  R"("hard":18446744073709551615,"soft":1024}]})",
                  0640);
  RewriteResult result;
  std::string err;
  ASSERT_TRUE(RewriteProcessFile(path, EnvSettings(), &result, &err)) << err;
  EXPECT_EQ((Changes{"env-unset:TOKEN", "env:TZ", "env-force:OI_FORCED"}), result.changes);
  Json::Value process;
  ASSERT_TRUE(ParseSpec(test::ReadFile(path), &process, &err)) << err;
  Json::Value expected;
  ASSERT_TRUE(ParseSpec(R"({"args":["sh"],"env":["PATH=/bin","OI_FORCED=yes","TZ=UTC"],)"
                        R"("cwd":"/","user":{"uid":0,"gid":0},"rlimits":[{"type":"RLIMIT_NOFILE",)"
                        R"("hard":18446744073709551615,"soft":1024}]})",
                        &expected, &err));
  EXPECT_EQ(expected, process) << test::ReadFile(path);
  EXPECT_EQ(0640, test::ModeOf(path));
}

TEST_F(RewriteProcessFileTest, UnchangedFileIsNotRewritten) {
  std::string path = Path("process.json");
  const std::string text = R"({"env":["OI_FORCED=yes", "TZ=Europe/Paris"]})";
  test::WriteFile(path, text);
  struct stat before, after;
  ASSERT_EQ(0, stat(path.c_str(), &before));
  RewriteResult result;
  std::string err;
  ASSERT_TRUE(RewriteProcessFile(path, EnvSettings(), &result, &err)) << err;
  EXPECT_TRUE(result.changes.empty());
  ASSERT_EQ(0, stat(path.c_str(), &after));
  EXPECT_EQ(before.st_ino, after.st_ino);
  EXPECT_EQ(text, test::ReadFile(path));
}

TEST_F(RewriteProcessFileTest, ErrorsLeaveTheFileAlone) {
  const std::vector<std::pair<std::string, std::string>> kBad = {
      {R"({"env":"A=1"})", "process.env is not an array"},
      {R"(["not", "an", "object"])", "cannot parse"},
      {R"({"env":[)", "cannot parse"},
  };
  for (const auto& [text, message] : kBad) {
    std::string path = Path("process.json");
    test::WriteFile(path, text);
    RewriteResult result;
    std::string err;
    EXPECT_FALSE(RewriteProcessFile(path, EnvSettings(), &result, &err)) << text;
    EXPECT_NE(std::string::npos, err.find(message)) << err;
    EXPECT_NE(std::string::npos, err.find(path)) << err;
    EXPECT_EQ(text, test::ReadFile(path));
  }
  RewriteResult result;
  std::string err;
  EXPECT_FALSE(RewriteProcessFile(Path("missing.json"), EnvSettings(), &result, &err));
}

}  // namespace
}  // namespace oci
