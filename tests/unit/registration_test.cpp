// Registration with Docker: the pure daemon.json edits, then RunRegistration
// against real files in a temporary directory.
#include "registration.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "docker_config.h"

namespace oci {
namespace {

const char kBinary[] = "/usr/bin/oci-interceptor";

bool IsOurs(const std::string& path) { return path == kBinary; }

Json::Value Parse(const std::string& text) {
  Json::Value value;
  std::string err;
  EXPECT_TRUE(ParseDockerConfig(text, &value, &err)) << err;
  return value;
}

// ---------------------------------------------------------------------------
// Pure functions on Json::Value

TEST(RegistrationDockerConfig, BlankTextIsAnEmptyObject) {
  EXPECT_EQ(Parse(""), Json::Value(Json::objectValue));
  EXPECT_EQ(Parse(" \n\t\n"), Json::Value(Json::objectValue));
}

TEST(RegistrationDockerConfig, InvalidJsonGivesLineAndColumnOnOneLine) {
  Json::Value value;
  std::string err;
  EXPECT_FALSE(ParseDockerConfig("{\n  \"debug\": true,\n  oops\n}\n", &value, &err));
  EXPECT_NE(err.find("Line 3, Column 3"), std::string::npos) << err;
  EXPECT_EQ(err.find('\n'), std::string::npos) << err;
}

TEST(RegistrationDockerConfig, RefusesWhatDockerRefuses) {
  Json::Value value;
  std::string err;
  EXPECT_FALSE(ParseDockerConfig("[]", &value, &err));
  EXPECT_NE(err.find("not a JSON object"), std::string::npos) << err;
  EXPECT_FALSE(ParseDockerConfig("{\"a\": 1} {}", &value, &err));
  EXPECT_FALSE(ParseDockerConfig("{\"a\": 1, /* c */ \"b\": 2}", &value, &err));
  EXPECT_FALSE(ParseDockerConfig("{\"a\": 1,}", &value, &err));
  EXPECT_FALSE(ParseDockerConfig("{\"a\": 1, \"a\": 2}", &value, &err));
}

TEST(RegistrationDockerConfig, TextJsoncppReadsButDockerRefusesIsRefused) {
  struct Case {
    std::string text, message;
  };
  // jsoncpp reads these (as 0, 1, 1, 1.0, a tab, up to the NUL); a rewrite
  // would quietly turn a daemon.json dockerd refuses into one it runs.
  for (const Case& c : std::vector<Case>{
           {"{\"a\": -}", "Line 1, Column 7: '-' is not a JSON number (Docker refuses it)"},
           {"{\"a\": +1}", "Line 1, Column 7: '+1' is not a JSON number"},
           {"{\n\"a\": 01}", "Line 2, Column 6: '01' is not a JSON number"},
           {"{\"a\": 1.}", "'1.' is not a JSON number"},
           {"{\"a\": \"x\ty\"}", "Line 1, Column 9: a raw control character in a string"},
           {std::string("{\"a\": 1}\0{", 10), "Line 1, Column 9: a NUL byte"},
       }) {
    Json::Value value;
    std::string err;
    EXPECT_FALSE(ParseDockerConfig(c.text, &value, &err)) << c.text;
    EXPECT_NE(err.find(c.message), std::string::npos) << err;
  }
}

TEST(RegistrationDockerConfig, DeepNestingIsAnErrorNotACrash) {
  std::string deep = "{\"a\":" + std::string(5000, '[') + std::string(5000, ']') + "}";
  Json::Value value;
  std::string err;
  EXPECT_FALSE(ParseDockerConfig(deep, &value, &err));
  EXPECT_FALSE(err.empty());
}

TEST(RegistrationDockerConfig, SerializesWithFourSpacesAndKeepsValues) {
  std::string text =
      "{\"big\": 18446744073709551615, \"neg\": -9223372036854775808, \"s\": \"h\\u00e9 \\u2603\"}";
  std::string out = SerializeDockerConfig(Parse(text));
  EXPECT_EQ(out,
            "{\n    \"big\": 18446744073709551615,\n    \"neg\": -9223372036854775808,\n"
            "    \"s\": \"h\xc3\xa9 \xe2\x98\x83\"\n}\n");
  EXPECT_EQ(Parse(out), Parse(text));
}

TEST(RegistrationDockerConfig, SerializesNestedValuesLikeDockerDocs) {
  std::string text =
      "{\"a\": [1, {\"b\": []}, \"x\\\"y\"], \"e\": {}, \"f\": 1.5, \"n\": null, \"t\": false}";
  EXPECT_EQ(SerializeDockerConfig(Parse(text)),
            "{\n"
            "    \"a\": [\n"
            "        1,\n"
            "        {\n"
            "            \"b\": []\n"
            "        },\n"
            "        \"x\\\"y\"\n"
            "    ],\n"
            "    \"e\": {},\n"
            "    \"f\": 1.5,\n"
            "    \"n\": null,\n"
            "    \"t\": false\n"
            "}\n");
  EXPECT_EQ(SerializeDockerConfig(Parse("{}")), "{}\n");
}

TEST(RegistrationDockerConfig, CommentsAreRefusedWithTheirPosition) {
  Json::Value value;
  std::string err;
  EXPECT_FALSE(ParseDockerConfig("{\n  \"a\": \"//not a comment\",\n  // one\n  \"b\": 2\n}", &value, &err));
  EXPECT_EQ(err, "Line 3, Column 3: a comment ('/' outside a string): JSON has none (Docker refuses it)");
  EXPECT_TRUE(ParseDockerConfig("{\"a\": \"/* \\\" // */\"}", &value, &err)) << err;
}

TEST(RegistrationDockerConfig, RegisterIntoEmptyObject) {
  Json::Value daemon = Parse("{}");
  DockerConfigChanges changes;
  std::string err;
  ASSERT_TRUE(RegisterDockerRuntime(&daemon, "oci-interceptor", kBinary, false, IsOurs, &changes,
                                    &err));
  EXPECT_EQ(daemon, Parse("{\"runtimes\": {\"oci-interceptor\": {\"path\": \"/usr/bin/oci-interceptor\"}}}"));
  ASSERT_EQ(changes.changed.size(), 1u);
  EXPECT_EQ(changes.changed[0], "added runtimes.oci-interceptor with path /usr/bin/oci-interceptor");
}

TEST(RegistrationDockerConfig, RegisterKeepsUnrelatedRuntimesAndKeys) {
  const char* before =
      "{\"log-level\": \"warn\", \"data-root\": \"/srv/docker\", \"default-runtime\": \"crun\","
      " \"runtimes\": {\"crun\": {\"path\": \"/usr/bin/crun\", \"runtimeArgs\": [\"--debug\"]}}}";
  Json::Value daemon = Parse(before);
  DockerConfigChanges changes;
  std::string err;
  ASSERT_TRUE(RegisterDockerRuntime(&daemon, "oci-interceptor", kBinary, false, IsOurs, &changes,
                                    &err));
  Json::Value expected = Parse(before);
  expected["runtimes"]["oci-interceptor"]["path"] = kBinary;
  EXPECT_EQ(daemon, expected);
}

TEST(RegistrationDockerConfig, RegisterTwiceChangesNothing) {
  Json::Value daemon = Parse("{}");
  DockerConfigChanges first, second;
  std::string err;
  ASSERT_TRUE(RegisterDockerRuntime(&daemon, "oi", kBinary, true, IsOurs, &first, &err));
  Json::Value after_first = daemon;
  ASSERT_TRUE(RegisterDockerRuntime(&daemon, "oi", kBinary, true, IsOurs, &second, &err));
  EXPECT_EQ(daemon, after_first);
  EXPECT_TRUE(second.changed.empty());
}

TEST(RegistrationDockerConfig, RegisterOverOurEntryWithAnotherPathKeepsItsOtherKeys) {
  Json::Value daemon = Parse(
      "{\"runtimes\": {\"oci-interceptor\": {\"path\": \"/usr/local/bin/oci-interceptor\","
      " \"runtimeArgs\": [\"--oi-env\", \"A=b\"]}}}");
  DockerConfigChanges changes;
  std::string err;
  ASSERT_TRUE(RegisterDockerRuntime(&daemon, "oci-interceptor", kBinary, false, IsOurs, &changes,
                                    &err));
  EXPECT_EQ(daemon["runtimes"]["oci-interceptor"]["path"].asString(), kBinary);
  EXPECT_EQ(daemon["runtimes"]["oci-interceptor"]["runtimeArgs"].size(), 2u);
  ASSERT_EQ(changes.changed.size(), 1u);
  EXPECT_NE(changes.changed[0].find("was /usr/local/bin/oci-interceptor"), std::string::npos);
}

TEST(RegistrationDockerConfig, SetDefaultReplacesSomeoneElsesDefault) {
  Json::Value daemon = Parse("{\"default-runtime\": \"crun\", \"runtimes\": {\"crun\": {\"path\": \"crun\"}}}");
  DockerConfigChanges changes;
  std::string err;
  ASSERT_TRUE(RegisterDockerRuntime(&daemon, "oci-interceptor", kBinary, true, IsOurs, &changes,
                                    &err));
  EXPECT_EQ(daemon["default-runtime"].asString(), "oci-interceptor");
  EXPECT_TRUE(daemon["runtimes"].isMember("crun"));
  ASSERT_EQ(changes.changed.size(), 2u);
  EXPECT_EQ(changes.changed[1], "set default-runtime to oci-interceptor (was crun)");
}

TEST(RegistrationDockerConfig, WithoutSetDefaultTheDefaultIsLeftAlone) {
  Json::Value daemon = Parse("{\"default-runtime\": \"runc\"}");
  DockerConfigChanges changes;
  std::string err;
  ASSERT_TRUE(RegisterDockerRuntime(&daemon, "oci-interceptor", kBinary, false, IsOurs, &changes,
                                    &err));
  EXPECT_EQ(daemon["default-runtime"].asString(), "runc");
}

TEST(RegistrationDockerConfig, RegisterRefusesShapesItCannotMerge) {
  for (const char* text : {"{\"runtimes\": []}", "{\"runtimes\": {\"oci-interceptor\": \"x\"}}",
                           "{\"runtimes\": {\"oci-interceptor\": {\"path\": 1}}}"}) {
    Json::Value daemon = Parse(text);
    Json::Value before = daemon;
    DockerConfigChanges changes;
    std::string err;
    EXPECT_FALSE(RegisterDockerRuntime(&daemon, "oci-interceptor", kBinary, false, IsOurs,
                                       &changes, &err))
        << text;
    EXPECT_EQ(daemon, before) << text;
    EXPECT_FALSE(err.empty());
  }
  Json::Value daemon = Parse("{\"default-runtime\": 3}");
  DockerConfigChanges changes;
  std::string err;
  EXPECT_FALSE(RegisterDockerRuntime(&daemon, "oi", kBinary, true, IsOurs, &changes, &err));
  EXPECT_EQ(daemon, Parse("{\"default-runtime\": 3}"));
}

TEST(RegistrationDockerConfig, UnregisterRemovesOurEntryAndResetsOurDefault) {
  Json::Value daemon = Parse(
      "{\"debug\": true, \"default-runtime\": \"oci-interceptor\", \"runtimes\": {"
      "\"oci-interceptor\": {\"path\": \"/usr/bin/oci-interceptor\"}, \"crun\": {\"path\": \"crun\"}}}");
  DockerConfigChanges changes;
  UnregisterDockerRuntime(&daemon, "oci-interceptor", IsOurs, &changes);
  EXPECT_EQ(daemon, Parse("{\"debug\": true, \"default-runtime\": \"runc\","
                          " \"runtimes\": {\"crun\": {\"path\": \"crun\"}}}"));
  EXPECT_EQ(changes.changed.size(), 2u);
  EXPECT_TRUE(changes.kept.empty());
}

// dockerd's SIGHUP replaces its runtimes only when "runtimes" is present.
TEST(RegistrationDockerConfig, UnregisterKeepsAnEmptyRuntimesSoAReloadDropsOurs) {
  Json::Value daemon = Parse(
      "{\"debug\": true, \"runtimes\": {\"oci-interceptor\": {\"path\": \"/usr/bin/oci-interceptor\"}}}");
  DockerConfigChanges changes;
  UnregisterDockerRuntime(&daemon, "oci-interceptor", IsOurs, &changes);
  EXPECT_EQ(daemon, Parse("{\"debug\": true, \"runtimes\": {}}"));
  EXPECT_EQ(changes.changed, std::vector<std::string>{"removed runtimes.oci-interceptor"});
}

TEST(RegistrationDockerConfig, RegisterRefusesAnEntryOfAnotherKind) {
  for (const char* entry : {"{\"runtimeType\": \"io.containerd.runc.v2\"}",
                            "{\"path\": \"/usr/bin/oci-interceptor\", \"options\": {}}"}) {
    const std::string text = std::string("{\"runtimes\": {\"oci-interceptor\": ") + entry + "}}";
    Json::Value daemon = Parse(text);
    DockerConfigChanges changes;
    std::string err;
    EXPECT_FALSE(RegisterDockerRuntime(&daemon, "oci-interceptor", kBinary, true, IsOurs,
                                       &changes, &err))
        << entry;
    EXPECT_NE(err.find("another runtime's entry"), std::string::npos) << err;
    EXPECT_EQ(daemon, Parse(text)) << entry;
  }
}

TEST(RegistrationDockerConfig, UnregisterKeepsSomeoneElsesDefault) {
  Json::Value daemon = Parse(
      "{\"default-runtime\": \"crun\", \"runtimes\": {"
      "\"oci-interceptor\": {\"path\": \"/usr/bin/oci-interceptor\"}, \"crun\": {\"path\": \"crun\"}}}");
  DockerConfigChanges changes;
  UnregisterDockerRuntime(&daemon, "oci-interceptor", IsOurs, &changes);
  EXPECT_EQ(daemon, Parse("{\"default-runtime\": \"crun\", \"runtimes\": {\"crun\": {\"path\": \"crun\"}}}"));
}

TEST(RegistrationDockerConfig, UnregisterLeavesAnEntryThatIsSomeoneElses) {
  const char* text =
      "{\"default-runtime\": \"oci-interceptor\", \"runtimes\": {"
      "\"oci-interceptor\": {\"path\": \"/opt/other/oci-interceptor\"}}}";
  Json::Value daemon = Parse(text);
  DockerConfigChanges changes;
  UnregisterDockerRuntime(&daemon, "oci-interceptor", IsOurs, &changes);
  EXPECT_EQ(daemon, Parse(text));
  EXPECT_TRUE(changes.changed.empty());
  ASSERT_EQ(changes.kept.size(), 1u);
  EXPECT_NE(changes.kept[0].find("someone else's"), std::string::npos) << changes.kept[0];
  EXPECT_NE(changes.kept[0].find("/opt/other/oci-interceptor"), std::string::npos);
}

TEST(RegistrationDockerConfig, UnregisterWithoutEntryChangesNothing) {
  for (const char* text : {"{}", "{\"runtimes\": {}}", "{\"runtimes\": 5}",
                           "{\"default-runtime\": \"oci-interceptor\"}"}) {
    Json::Value daemon = Parse(text);
    DockerConfigChanges changes;
    UnregisterDockerRuntime(&daemon, "oci-interceptor", IsOurs, &changes);
    EXPECT_EQ(daemon, Parse(text)) << text;
    EXPECT_TRUE(changes.changed.empty()) << text;
  }
}

// ---------------------------------------------------------------------------
// RunRegistration on real files

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

struct Output {
  int status;
  std::string out;
  std::string err;
};

class RegistrationRun : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/oi-registration-test.XXXXXX";
    ASSERT_NE(mkdtemp(dir_template), nullptr);
    dir_ = dir_template;
    path_ = dir_ + "/daemon.json";
    request_.engine = "docker";
    request_.docker_config = path_;
    request_.binary_path = kBinary;
  }
  void TearDown() override {
    if (mounted_) umount2(dir_.c_str(), MNT_DETACH);
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  Output Run() {
    ::testing::internal::CaptureStdout();
    ::testing::internal::CaptureStderr();
    int status = RunRegistration(request_);
    std::string out = ::testing::internal::GetCapturedStdout();
    std::string err = ::testing::internal::GetCapturedStderr();
    return Output{status, out, err};
  }

  std::string dir_;
  std::string path_;
  RegistrationRequest request_;
  bool mounted_ = false;
};

TEST_F(RegistrationRun, MissingFileIsCreatedWithMode0644) {
  Output r = Run();
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(ReadFile(path_),
            "{\n    \"runtimes\": {\n        \"oci-interceptor\": {\n"
            "            \"path\": \"/usr/bin/oci-interceptor\"\n        }\n    }\n}\n");
  struct stat st;
  ASSERT_EQ(stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0644u);
  EXPECT_NE(r.out.find("added runtimes.oci-interceptor"), std::string::npos) << r.out;
}

TEST_F(RegistrationRun, MissingDirectoryIsCreated) {
  request_.docker_config = dir_ + "/docker/daemon.json";
  Output r = Run();
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(ReadFile(request_.docker_config).find(kBinary), std::string::npos);
}

TEST_F(RegistrationRun, CreatedDirectoriesAre0755WhateverTheUmask) {
  // Rootless podman reads containers.conf.d as its user: 0700 breaks it.
  mode_t old = umask(077);
  request_.engine = "podman";
  request_.podman_dir = dir_ + "/containers/containers.conf.d";
  Output r = Run();
  umask(old);
  ASSERT_EQ(r.status, 0) << r.err;
  for (const std::string& made : {dir_ + "/containers", request_.podman_dir}) {
    struct stat st;
    ASSERT_EQ(stat(made.c_str(), &st), 0) << made;
    EXPECT_EQ(st.st_mode & 07777, 0755u) << made;
  }
}

TEST_F(RegistrationRun, AFailedProfileRegistrationLeavesNoSymlink) {
  WriteFile(path_, "{ not json");
  request_.profile = "p2";
  request_.link_dir = dir_;
  Output r = Run();
  EXPECT_EQ(r.status, 1);
  struct stat st;
  EXPECT_NE(lstat((dir_ + "/oci-interceptor-p2").c_str(), &st), 0) << r.out << r.err;
  EXPECT_EQ(ReadFile(path_), "{ not json");
}

TEST_F(RegistrationRun, AFailedWriteIsNotReportedAsDone) {
  request_.docker_config = dir_ + "/a/b/daemon.json";  // two levels missing
  Output r = Run();
  EXPECT_EQ(r.status, 1);
  EXPECT_FALSE(std::filesystem::exists(request_.docker_config));
  EXPECT_EQ(r.out.find("added"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("oci-interceptor: error: "), std::string::npos) << r.err;
}

TEST_F(RegistrationRun, EmptyFileIsTreatedAsEmptyObject) {
  WriteFile(path_, "");
  Output r = Run();
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(Parse(ReadFile(path_))["runtimes"]["oci-interceptor"]["path"].asString(), kBinary);
}

TEST_F(RegistrationRun, InvalidJsonIsRefusedAndLeftByteIdentical) {
  const std::string text = "{\n    \"debug\": true,\n    \"log-level\": \"warn\"\n";
  WriteFile(path_, text);
  Output r = Run();
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(ReadFile(path_), text);
  EXPECT_NE(r.err.find("oci-interceptor: error: " + path_ + " is not valid JSON"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("Line 4"), std::string::npos) << r.err;
  EXPECT_EQ(std::filesystem::directory_iterator(dir_)->path(), path_);  // no temporary left
}

TEST_F(RegistrationRun, SecondRegisterSaysAlreadyRegisteredAndDoesNotRewrite) {
  WriteFile(path_, "{\"debug\": true}");
  ASSERT_EQ(Run().status, 0);
  struct stat before, after;
  ASSERT_EQ(stat(path_.c_str(), &before), 0);
  Output r = Run();
  ASSERT_EQ(r.status, 0) << r.err;
  ASSERT_EQ(stat(path_.c_str(), &after), 0);
  EXPECT_EQ(before.st_ino, after.st_ino);  // a rewrite renames a new inode in
  EXPECT_NE(r.out.find("already registered"), std::string::npos) << r.out;
}

TEST_F(RegistrationRun, ModeAndOwnerAreKept) {
  WriteFile(path_, "{}");
  ASSERT_EQ(chmod(path_.c_str(), 0600), 0);
  bool root = geteuid() == 0;
  if (root) {
    ASSERT_EQ(chown(path_.c_str(), 1234, 5678), 0);
  }
  Output r = Run();
  ASSERT_EQ(r.status, 0) << r.err;
  struct stat st;
  ASSERT_EQ(stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  if (root) {
    EXPECT_EQ(st.st_uid, 1234u);
    EXPECT_EQ(st.st_gid, 5678u);
  }
}

TEST_F(RegistrationRun, ReadOnlyDirectoryGivesAClearErrorAndChangesNothing) {
  const std::string text = "{\"debug\": true}\n";
  if (geteuid() == 0) {
    // Root ignores permission bits: use a tmpfs remounted read-only.
    if (mount("tmpfs", dir_.c_str(), "tmpfs", 0, "mode=0755") != 0) {
      GTEST_SKIP() << "cannot mount a tmpfs: " << strerror(errno);
    }
    mounted_ = true;
    WriteFile(path_, text);
    ASSERT_EQ(mount(nullptr, dir_.c_str(), nullptr, MS_REMOUNT | MS_RDONLY, nullptr), 0)
        << strerror(errno);
  } else {
    WriteFile(path_, text);
    ASSERT_EQ(chmod(dir_.c_str(), 0555), 0);
  }
  Output r = Run();
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(ReadFile(path_), text);
  EXPECT_NE(r.err.find("oci-interceptor: error: cannot update " + path_ + ", left unchanged: "
                       "cannot create a temporary file in " + dir_),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(geteuid() == 0 ? "Read-only file system" : "Permission denied"),
            std::string::npos)
      << r.err;
  if (geteuid() != 0) chmod(dir_.c_str(), 0700);
}

TEST_F(RegistrationRun, DryRunPrintsTheWouldBeFileAndChangesNothing) {
  const std::string text = "{\"debug\": true}";
  WriteFile(path_, text);
  request_.dry_run = true;
  request_.set_default = true;
  Output r = Run();
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(ReadFile(path_), text);
  Json::Value printed = Parse(r.out);
  EXPECT_EQ(printed["runtimes"]["oci-interceptor"]["path"].asString(), kBinary);
  EXPECT_EQ(printed["default-runtime"].asString(), "oci-interceptor");
  EXPECT_TRUE(printed["debug"].asBool());
  EXPECT_NE(r.err.find("would have added"), std::string::npos) << r.err;
}

TEST_F(RegistrationRun, DryRunDoesNotCreateAMissingFile) {
  request_.dry_run = true;
  Output r = Run();
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_FALSE(std::filesystem::exists(path_));
  EXPECT_NE(r.out.find(kBinary), std::string::npos);
}

TEST_F(RegistrationRun, UnregisterRemovesOursAndResetsOurDefault) {
  WriteFile(path_, "{\"debug\": true, \"default-runtime\": \"oci-interceptor\", \"runtimes\": {"
                   "\"oci-interceptor\": {\"path\": \"/usr/bin/oci-interceptor\"},"
                   " \"crun\": {\"path\": \"/usr/bin/crun\"}}}");
  request_.unregister = true;
  Output r = Run();
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(Parse(ReadFile(path_)),
            Parse("{\"debug\": true, \"default-runtime\": \"runc\","
                  " \"runtimes\": {\"crun\": {\"path\": \"/usr/bin/crun\"}}}"));
  EXPECT_NE(r.out.find("reset default-runtime to runc (was oci-interceptor)"), std::string::npos)
      << r.out;
}

TEST_F(RegistrationRun, UnregisterRecognisesThisBinaryThroughASymlink) {
  std::string real = dir_ + "/oci-interceptor";
  std::string link = dir_ + "/link";
  WriteFile(real, "");
  ASSERT_EQ(symlink(real.c_str(), link.c_str()), 0);
  WriteFile(path_, "{\"runtimes\": {\"oci-interceptor\": {\"path\": \"" + link + "\"}}}");
  request_.binary_path = real;
  request_.unregister = true;
  Output r = Run();
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(Parse(ReadFile(path_)), Parse("{\"runtimes\": {}}"));
}

TEST_F(RegistrationRun, UnregisterLeavesSomeoneElsesEntry) {
  const std::string text =
      "{\"runtimes\": {\"oci-interceptor\": {\"path\": \"/opt/other/oci-interceptor\"}}}";
  WriteFile(path_, text);
  request_.unregister = true;
  Output r = Run();
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(ReadFile(path_), text);
  EXPECT_NE(r.out.find("someone else's"), std::string::npos) << r.out;
}

TEST_F(RegistrationRun, UnregisterWithoutFileCreatesNothing) {
  request_.unregister = true;
  Output r = Run();
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_FALSE(std::filesystem::exists(path_));
}

TEST_F(RegistrationRun, SymlinkedConfigIsRefused) {
  std::string target = dir_ + "/real.json";
  WriteFile(target, "{}");
  ASSERT_EQ(symlink(target.c_str(), path_.c_str()), 0);
  Output r = Run();
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("symbolic link"), std::string::npos) << r.err;
  EXPECT_EQ(ReadFile(target), "{}");
}

TEST_F(RegistrationRun, TheNameRuncIsRefused) {
  request_.runtime_name = "runc";
  Output r = Run();
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("reserves the name 'runc'"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(path_));
}

TEST_F(RegistrationRun, RuntimeNamesDockerCannotUseAreRefused) {
  for (const char* name : {"", "my runtime", "-x", "a/b", "\"quoted\""}) {
    request_.runtime_name = name;
    Output r = Run();
    EXPECT_EQ(r.status, 1) << name;
    EXPECT_NE(r.err.find("invalid runtime name '" + std::string(name) + "'"), std::string::npos)
        << r.err;
    EXPECT_FALSE(std::filesystem::exists(path_)) << name;
  }
}

TEST_F(RegistrationRun, UnknownEnginesAreAClearError) {
  request_.engine = "lxc";
  Output r = Run();
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("oci-interceptor: error: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("lxc"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(path_));
}

}  // namespace
}  // namespace oci
