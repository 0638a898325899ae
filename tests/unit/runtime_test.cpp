#include "runtime.h"

#include <gtest/gtest.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "test_util.h"

namespace oci {
namespace {

using test::Contains;
using test::ReadFile;
using test::WriteFile;

// This test binary plays the interceptor: ResolveRuntime must never pick it.
constexpr char kSelf[] = "/proc/self/exe";

std::string SelfPath() {
  char path[PATH_MAX];
  return realpath(kSelf, path) ? path : "";
}

class RuntimeTest : public test::TempDirTest {
 protected:
  // An executable script at path whose text tells it apart.
  void MakeRuntime(const std::string& path, const std::string& tag = "runtime") {
    WriteFile(path, "#!/bin/sh\n# " + tag + "\nexit 0\n", 0755);
  }
  // A byte-identical copy of this binary at path.
  void CopySelf(const std::string& path) {
    WriteFile(path, ReadFile(SelfPath()), 0755);
  }

  bool Resolve(const std::string& runtime, const std::string& path_env, std::string* resolved,
               std::string* err) {
    return ResolveRuntime(runtime, path_env.c_str(), kSelf, resolved, err);
  }
};

TEST_F(RuntimeTest, BareNameIsSearchedInPathInOrder) {
  std::string a = MakeDir("a"), b = MakeDir("b"), c = MakeDir("c");
  MakeRuntime(b + "/oi-test-rt", "b");
  MakeRuntime(c + "/oi-test-rt", "c");
  std::string resolved, err;
  ASSERT_TRUE(Resolve("oi-test-rt", a + ":" + b + ":" + c, &resolved, &err)) << err;
  EXPECT_EQ(b + "/oi-test-rt", resolved);
}

TEST_F(RuntimeTest, NonExecutablesAndDirectoriesAreSkipped) {
  std::string a = MakeDir("a"), b = MakeDir("b"), c = MakeDir("c");
  WriteFile(a + "/oi-test-rt", "#!/bin/sh\n", 0644);
  ASSERT_EQ(0, mkdir((b + "/oi-test-rt").c_str(), 0755));
  MakeRuntime(c + "/oi-test-rt");
  std::string resolved, err;
  ASSERT_TRUE(Resolve("oi-test-rt", a + ":" + b + ":" + c, &resolved, &err)) << err;
  EXPECT_EQ(c + "/oi-test-rt", resolved);
}

TEST_F(RuntimeTest, FallbackDirectoriesAfterPath) {
  // "sh" exists in the fallback directories of any Debian machine.
  std::string empty = MakeDir("empty");
  for (const char* path_env : {"", "/nonexistent"}) {
    std::string resolved, err;
    ASSERT_TRUE(Resolve("sh", path_env[0] ? path_env : empty, &resolved, &err)) << err;
    std::string dir = resolved.substr(0, resolved.rfind('/'));
    EXPECT_TRUE(Contains(std::string(":") + kFallbackRuntimeDirs + ":", ":" + dir + ":"))
        << resolved;
    EXPECT_EQ(0, access(resolved.c_str(), X_OK));
  }
  std::string resolved, err;
  ASSERT_TRUE(ResolveRuntime("sh", nullptr, kSelf, &resolved, &err)) << err;
}

TEST_F(RuntimeTest, PathIsSearchedBeforeFallbackDirectories) {
  std::string a = MakeDir("a");
  MakeRuntime(a + "/sh");
  std::string resolved, err;
  ASSERT_TRUE(Resolve("sh", a, &resolved, &err)) << err;
  EXPECT_EQ(a + "/sh", resolved);
}

TEST_F(RuntimeTest, RelativeAndEmptyPathEntriesAreIgnored) {
  std::string rel = MakeDir("rel");
  MakeRuntime(rel + "/oi-test-rt");
  MakeRuntime(Path("oi-test-rt"));
  char cwd[PATH_MAX];
  ASSERT_NE(nullptr, getcwd(cwd, sizeof cwd));
  ASSERT_EQ(0, chdir(dir_.c_str()));
  std::string resolved, err;
  bool ok = Resolve("oi-test-rt", "rel::.:./rel", &resolved, &err);
  ASSERT_EQ(0, chdir(cwd));
  EXPECT_FALSE(ok) << resolved;
  EXPECT_TRUE(Contains(err, "runtime oi-test-rt not found")) << err;
}

TEST_F(RuntimeTest, ExplicitPathIsUsedAsIs) {
  MakeRuntime(Path("my-runc"));
  std::string resolved, err;
  ASSERT_TRUE(Resolve(Path("my-runc"), "", &resolved, &err)) << err;
  EXPECT_EQ(Path("my-runc"), resolved);
}

TEST_F(RuntimeTest, ExplicitPathErrorsNameThePath) {
  WriteFile(Path("not-exec"), "#!/bin/sh\n", 0644);
  MakeDir("a-dir");
  struct Case {
    std::string path;
    const char* message_part;
  };
  const Case cases[] = {
      {Path("missing"), "No such file"},
      {Path("not-exec"), "permission denied"},
      {Path("a-dir"), "not an executable file"},
  };
  for (const Case& c : cases) {
    std::string resolved, err;
    EXPECT_FALSE(Resolve(c.path, "/usr/bin:/bin", &resolved, &err)) << c.path;
    EXPECT_TRUE(Contains(err, "runtime " + c.path)) << err;
    EXPECT_TRUE(Contains(err, c.message_part)) << err;
    EXPECT_EQ("", resolved);
  }
}

TEST_F(RuntimeTest, BareNameNotFoundIsAnError) {
  std::string resolved, err;
  EXPECT_FALSE(Resolve("oi-no-such-runtime", "/usr/bin", &resolved, &err));
  EXPECT_TRUE(Contains(err, "runtime oi-no-such-runtime not found in $PATH or")) << err;
  EXPECT_TRUE(Contains(err, kFallbackRuntimeDirs)) << err;
}

TEST_F(RuntimeTest, SelfIsRefusedByPath) {
  std::string resolved, err;
  EXPECT_FALSE(Resolve(SelfPath(), "", &resolved, &err));
  EXPECT_TRUE(Contains(err, "is oci-interceptor itself")) << err;
  EXPECT_TRUE(Contains(err, SelfPath())) << err;
}

TEST_F(RuntimeTest, SelfIsRefusedThroughASymlink) {
  ASSERT_EQ(0, symlink(SelfPath().c_str(), Path("runc").c_str()));
  std::string resolved, err;
  EXPECT_FALSE(Resolve(Path("runc"), "", &resolved, &err));
  EXPECT_TRUE(Contains(err, "is oci-interceptor itself")) << err;
}

TEST_F(RuntimeTest, SelfIsRefusedThroughAHardLink) {
  if (link(SelfPath().c_str(), Path("runc").c_str()) != 0) {
    GTEST_SKIP() << "the build directory is on another filesystem";
  }
  std::string resolved, err;
  EXPECT_FALSE(Resolve(Path("runc"), "", &resolved, &err));
  EXPECT_TRUE(Contains(err, "is oci-interceptor itself")) << err;
}

TEST_F(RuntimeTest, SelfIsRefusedAsARenamedCopy) {
  CopySelf(Path("runc"));
  std::string resolved, err;
  EXPECT_FALSE(Resolve(Path("runc"), "", &resolved, &err));
  EXPECT_TRUE(Contains(err, "is oci-interceptor itself")) << err;
}

TEST_F(RuntimeTest, BareNameSearchSkipsACopyOfSelf) {
  std::string a = MakeDir("a"), b = MakeDir("b"), c = MakeDir("c");
  CopySelf(a + "/oi-test-rt");
  ASSERT_EQ(0, symlink(SelfPath().c_str(), (b + "/oi-test-rt").c_str()));
  MakeRuntime(c + "/oi-test-rt");
  std::string resolved, err;
  ASSERT_TRUE(Resolve("oi-test-rt", a + ":" + b + ":" + c, &resolved, &err)) << err;
  EXPECT_EQ(c + "/oi-test-rt", resolved);
}

TEST_F(RuntimeTest, OnlySelfInPathIsAnError) {
  std::string a = MakeDir("a");
  CopySelf(a + "/oi-test-rt");
  std::string resolved, err;
  EXPECT_FALSE(Resolve("oi-test-rt", a, &resolved, &err));
  EXPECT_TRUE(Contains(err, "only oci-interceptor itself")) << err;
}

TEST_F(RuntimeTest, IsSameProgram) {
  WriteFile(Path("x"), "#!/bin/sh\n# aaaa\n", 0755);
  WriteFile(Path("y"), "#!/bin/sh\n# bbbb\n", 0755);  // same size, other bytes
  WriteFile(Path("z"), "#!/bin/sh\n# aaaa\n", 0755);
  EXPECT_FALSE(IsSameProgram(Path("x"), Path("y")));
  EXPECT_TRUE(IsSameProgram(Path("x"), Path("z")));
  EXPECT_TRUE(IsSameProgram(Path("x"), Path("x")));
  EXPECT_FALSE(IsSameProgram(Path("missing"), Path("x")));
  EXPECT_FALSE(IsSameProgram("/bin/sh", kSelf));
  EXPECT_TRUE(IsSameProgram(SelfPath(), kSelf));
}

// Runs ExecRuntime in a child; returns its wait status.
int ExecInChild(const std::string& path, const std::vector<std::string>& args,
                pid_t* child_pid, const std::string& err_file) {
  pid_t pid = fork();
  if (pid == 0) {
    std::string err;
    ExecRuntime(path, args, &err);
    // Only reached on failure: hand the message back through a file.
    FILE* out = fopen(err_file.c_str(), "w");
    if (out) {
      fputs(err.c_str(), out);
      fclose(out);
    }
    _exit(99);
  }
  *child_pid = pid;
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

TEST_F(RuntimeTest, ExecReplacesTheProcessWithArgv0ThePath) {
  // The runtime records its PID and its argv as the kernel holds it; the
  // exit status comes through.
  std::string script = "echo $$ > \"$0\"; tr '\\0' '|' < /proc/$$/cmdline >> \"$0\"; exit 42";
  pid_t pid = 0;
  int status = ExecInChild("/bin/sh", {"-c", script, Path("out"), "two words", ""}, &pid,
                           Path("err"));
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(42, WEXITSTATUS(status)) << ReadFile(Path("err"));
  EXPECT_EQ(std::to_string(pid) + "\n/bin/sh|-c|" + script + "|" + Path("out") + "|two words||",
            ReadFile(Path("out")));
}

TEST_F(RuntimeTest, ExecSetsTheMarkerToTheRuntimesOwnPid) {
  std::string script = "echo \"$$ $" + std::string(kRuntimeMarkerEnv) + "\" > \"$0\"";
  pid_t pid = 0;
  int status = ExecInChild("/bin/sh", {"-c", script, Path("out")}, &pid, Path("err"));
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(0, WEXITSTATUS(status)) << ReadFile(Path("err"));
  EXPECT_EQ(std::to_string(pid) + " " + std::to_string(pid) + "\n", ReadFile(Path("out")));
}

TEST_F(RuntimeTest, CameBackWhenTheMarkerNamesThisProcessOrItsParent) {
  struct Case {
    const char* marker;  // nullptr: unset
    bool came_back;
  };
  std::string self = std::to_string(getpid()), parent = std::to_string(getppid());
  for (Case c : {Case{nullptr, false}, Case{"", false}, Case{self.c_str(), true},
                 Case{parent.c_str(), true}, Case{"1", getppid() == 1}, Case{"x", false}}) {
    if (c.marker) {
      setenv(kRuntimeMarkerEnv, c.marker, 1);
    } else {
      unsetenv(kRuntimeMarkerEnv);
    }
    EXPECT_EQ(c.came_back, CameBackFromRuntime()) << (c.marker ? c.marker : "(unset)");
  }
  unsetenv(kRuntimeMarkerEnv);
}

TEST_F(RuntimeTest, ExecFailureReturnsAnError) {
  pid_t pid = 0;
  int status = ExecInChild(Path("missing"), {}, &pid, Path("err"));
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(99, WEXITSTATUS(status));
  EXPECT_EQ("cannot execute runtime " + Path("missing") + ": No such file or directory",
            ReadFile(Path("err")));
}

}  // namespace
}  // namespace oci
