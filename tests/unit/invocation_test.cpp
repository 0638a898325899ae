#include "invocation.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace oci {
namespace {

using Args = std::vector<std::string>;

TEST(ParseInvocationTest, BundleSpellings) {
  const Args spellings[] = {
      {"-b", "/bundle"},      {"-b=/bundle"},      {"--bundle", "/bundle"},
      {"--bundle=/bundle"},   {"-bundle", "/bundle"}, {"-bundle=/bundle"},
  };
  for (const char* command : {"create", "run", "restore"}) {
    for (const Args& bundle : spellings) {
      Args args = {command};
      args.insert(args.end(), bundle.begin(), bundle.end());
      args.push_back("id");
      Invocation call = ParseInvocation(args);
      EXPECT_EQ(command, call.command);
      EXPECT_TRUE(call.intercepted) << command;
      EXPECT_EQ("/bundle", call.bundle) << bundle[0];
      EXPECT_EQ("id", call.container_id) << bundle[0];
      EXPECT_EQ("/bundle/config.json", call.ConfigPath());
      EXPECT_EQ(args, call.args);
    }
  }
}

TEST(ParseInvocationTest, EveryCommandNamesItsContainer) {
  // Logs carry OCI_CONTAINER_ID on every call, so journalctl finds them all.
  const std::pair<Args, const char*> cases[] = {
      {{"--root", "/r", "--log", "/l", "--log-format", "json", "start", "c1"}, "c1"},
      {{"state", "c2"}, "c2"},
      {{"kill", "--all", "c3", "KILL"}, "c3"},
      {{"delete", "--force", "c4"}, "c4"},
      {{"ps", "-f", "json", "c5"}, "c5"},
      {{"ps", "--format=json", "c6"}, "c6"},
      {{"update", "--memory", "1g", "--pids-limit", "5", "c7"}, "c7"},
      {{"events", "--interval", "5s", "c8"}, "c8"},
      {{"delete", "--", "c9"}, "c9"},
      {{"features"}, ""},
  };
  for (const auto& [args, id] : cases) {
    Invocation call = ParseInvocation(args);
    EXPECT_FALSE(call.intercepted) << args[0];
    EXPECT_EQ(id, call.container_id) << call.command;
    EXPECT_EQ(args, call.args);
  }
}

TEST(ParseInvocationTest, BundleDefaultsToCurrentDirectory) {
  Invocation call = ParseInvocation({"run", "id"});
  EXPECT_TRUE(call.intercepted);
  EXPECT_EQ(".", call.bundle);
  EXPECT_EQ("./config.json", call.ConfigPath());
  EXPECT_EQ("id", call.container_id);
}

TEST(ParseInvocationTest, BundleAfterTheIdAndLastOneWins) {
  Invocation call = ParseInvocation({"create", "id", "--bundle", "/a", "-b", "/b"});
  EXPECT_EQ("/b", call.bundle);
  EXPECT_EQ("id", call.container_id);
}

TEST(ParseInvocationTest, DockerCreate) {
  Invocation call = ParseInvocation({"--root", "/var/run/docker/runtime-runc/moby", "--log",
                                     "/b/log.json", "--log-format", "json", "create", "--bundle",
                                     "/b", "--pid-file", "/b/init.pid", "c0ffee"});
  EXPECT_EQ("create", call.command);
  EXPECT_TRUE(call.intercepted);
  EXPECT_EQ("/b", call.bundle);
  EXPECT_EQ("c0ffee", call.container_id);
  EXPECT_EQ("/b/log.json", call.log_path);
  EXPECT_EQ("json", call.log_format);
}

TEST(ParseInvocationTest, PodmanCreate) {
  Invocation call = ParseInvocation({"create", "--bundle", "/b", "--pid-file", "/p", "pod"});
  EXPECT_TRUE(call.intercepted);
  EXPECT_EQ("/b", call.bundle);
  EXPECT_EQ("pod", call.container_id);
  EXPECT_EQ("", call.log_path);
  EXPECT_EQ("text", call.log_format);
}

TEST(ParseInvocationTest, ValuedCommandOptionsAreNotTheContainerId) {
  Invocation call = ParseInvocation({"run", "--console-socket", "/s", "--pid-file", "/p",
                                     "--preserve-fds", "3", "-d", "--no-pivot", "id"});
  EXPECT_EQ("id", call.container_id);
  call = ParseInvocation({"restore", "--image-path", "/i", "--work-path", "/w", "-b", "/b",
                          "--detach", "id"});
  EXPECT_EQ("id", call.container_id);
  EXPECT_EQ("/b", call.bundle);
}

TEST(ParseInvocationTest, DoubleDashPrecedesTheId) {
  Invocation call = ParseInvocation({"create", "-b", "/b", "--", "-weird-id"});
  EXPECT_EQ("-weird-id", call.container_id);
  EXPECT_EQ("/b", call.bundle);
}

TEST(ParseInvocationTest, LogSpellings) {
  const Args spellings[] = {
      {"--log", "/l", "--log-format", "json"},
      {"--log=/l", "--log-format=json"},
      {"-log", "/l", "-log-format", "json"},
      {"-log=/l", "-log-format=json"},
      {"--root", "/r", "--log=/l", "--debug", "--log-format", "json"},
  };
  for (const Args& globals : spellings) {
    Args args = globals;
    args.push_back("state");
    args.push_back("id");
    Invocation call = ParseInvocation(args);
    EXPECT_EQ("/l", call.log_path) << globals[0];
    EXPECT_EQ("json", call.log_format) << globals[0];
    EXPECT_EQ("state", call.command) << globals[0];
  }
}

TEST(ParseInvocationTest, LogFormatDefaultsToText) {
  Invocation call = ParseInvocation({"--log", "/l", "create", "id"});
  EXPECT_EQ("/l", call.log_path);
  EXPECT_EQ("text", call.log_format);
}

TEST(ParseInvocationTest, GlobalValueEqualToACommandIsAValue) {
  // "--root create" names a root directory called create; the command is run.
  Invocation call = ParseInvocation({"--root", "create", "--log-level", "debug", "run", "id"});
  EXPECT_EQ("run", call.command);
  EXPECT_EQ("id", call.container_id);
}

TEST(ParseInvocationTest, OnlyCreateRunRestoreAreIntercepted) {
  for (const char* command : {"create", "run", "restore"}) {
    EXPECT_TRUE(ParseInvocation({command, "id"}).intercepted) << command;
  }
  const Args others[] = {
      {"start", "id"}, {"delete", "--force", "id"}, {"state", "id"}, {"kill", "id", "9"},
      {"exec", "id", "sh"}, {"features"}, {"--version"}, {"checkpoint", "id"}, {"ps", "id"},
      {"update", "-r", "/x", "id"}, {"spec", "-b", "/b"},
  };
  for (const Args& args : others) {
    Invocation call = ParseInvocation(args);
    EXPECT_FALSE(call.intercepted) << args[0];
    EXPECT_EQ("", call.bundle) << args[0];  // only intercepted calls name a bundle
    EXPECT_EQ(args, call.args);
  }
}

TEST(ParseInvocationTest, NoCommand) {
  Invocation call = ParseInvocation({"--version"});
  EXPECT_EQ("", call.command);
  EXPECT_FALSE(call.intercepted);
  call = ParseInvocation({});
  EXPECT_EQ("", call.command);
  EXPECT_FALSE(call.intercepted);
  call = ParseInvocation({"--root"});  // a valued option with its value missing
  EXPECT_EQ("", call.command);
}

TEST(ParseInvocationTest, AnotherRuntimesGlobalOptionValueIsNotTheCommand) {
  // runsc and kata take options runc does not know, often as "--name value":
  // read as the command, "ptrace" would let the create pass without rules.
  const Args cases[] = {
      {"--platform", "ptrace", "create", "--bundle", "/b", "id"},
      {"--root", "/r", "--debug-log", "/d/", "--network", "none", "create", "-b", "/b", "id"},
      {"--kata-config", "/k.toml", "--log", "/l", "run", "--bundle=/b", "id"},
      {"-platform", "kvm", "--debug", "restore", "-b", "/b", "id"},
  };
  for (const Args& args : cases) {
    Invocation call = ParseInvocation(args);
    EXPECT_TRUE(call.intercepted) << args[0];
    EXPECT_EQ("/b", call.bundle) << args[0];
    EXPECT_EQ("id", call.container_id) << args[0];
    EXPECT_EQ(args, call.args);
  }
  EXPECT_EQ("/l", ParseInvocation(cases[2]).log_path);
  // A flag runc knows takes no value; a known command right after an unknown
  // option is the command.
  EXPECT_EQ("CREATE", ParseInvocation({"--debug", "CREATE", "id"}).command);
  EXPECT_EQ("state", ParseInvocation({"--unknown", "state", "create"}).command);
  EXPECT_EQ("create", ParseInvocation({"--unknown", "state", "create"}).container_id);
  EXPECT_EQ("wait", ParseInvocation({"--platform=ptrace", "wait", "id"}).command);
  EXPECT_FALSE(ParseInvocation({"--unknown", "value"}).intercepted);
}

TEST(ParseInvocationTest, RootlessTakesAValueOnlyWhenItIsOne) {
  // runc: --rootless true|false|auto; runsc: --rootless is a flag.
  Invocation call = ParseInvocation({"--rootless", "create", "-b", "/b", "id"});
  EXPECT_TRUE(call.intercepted);
  EXPECT_EQ("/b", call.bundle);
  for (const char* value : {"true", "false", "auto"}) {
    call = ParseInvocation({"--rootless", value, "run", "-b", "/b", "id"});
    EXPECT_EQ("run", call.command) << value;
  }
}

TEST(ParseInvocationTest, CrunConfigOptionNamesTheFileToRewrite) {
  const std::pair<Args, const char*> cases[] = {
      {{"create", "--config", "other.json", "--bundle", "/b", "id"}, "/b/other.json"},
      {{"run", "-f", "/etc/x.json", "-b", "/b", "id"}, "/etc/x.json"},
      {{"create", "--config=c.json", "id"}, "./c.json"},
      {{"create", "-b", "/b", "id"}, "/b/config.json"},
  };
  for (const auto& [args, path] : cases) {
    Invocation call = ParseInvocation(args);
    EXPECT_EQ(path, call.ConfigPath()) << args[1];
    EXPECT_EQ("id", call.container_id) << args[1];
  }
}

TEST(ParseInvocationTest, ExecPidfdSocketTakesAValue) {
  // runc 1.2: "exec --pidfd-socket PATH --process FILE ID".
  Invocation call = ParseInvocation({"exec", "--pidfd-socket", "/run/s.sock", "--process",
                                     "/tmp/p.json", "--detach", "id"});
  EXPECT_EQ("/tmp/p.json", call.process_path);
  EXPECT_EQ("id", call.container_id);
}

TEST(ParseInvocationTest, DoubleDashBeforeTheCommand) {
  // runc runs "runc --root R -- run -b B id" as "run": the rules must apply.
  Invocation call = ParseInvocation({"--root", "/r", "--", "run", "-b", "/b", "id"});
  EXPECT_EQ("run", call.command);
  EXPECT_TRUE(call.intercepted);
  EXPECT_EQ("/b", call.bundle);
  EXPECT_EQ("id", call.container_id);
  EXPECT_EQ("", ParseInvocation({"--"}).command);
}

TEST(ParseInvocationTest, CommandIsCaseSensitive) {
  EXPECT_FALSE(ParseInvocation({"CREATE", "id"}).intercepted);
}

}  // namespace
}  // namespace oci
