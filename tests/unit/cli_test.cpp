#include "cli.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace oci {
namespace {

using Args = std::vector<std::string>;
using Settings = std::vector<std::pair<std::string, std::string>>;

struct Parsed {
  bool ok = false;
  CommandLine cli;
  std::string err;
};

// Runs ParseCommandLine on "oci-interceptor ARGS...".
Parsed Parse(const Args& args) {
  std::vector<const char*> argv = {"oci-interceptor"};
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  argv.push_back(nullptr);
  Parsed parsed;
  parsed.ok = ParseCommandLine(static_cast<int>(args.size() + 1), argv.data(), &parsed.cli,
                               &parsed.err);
  return parsed;
}

Args Concat(const Args& a, const Args& b) {
  Args out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

// Every argv shape of environment.md: nothing of ours, forwarded verbatim.
const std::vector<Args> kEngineCalls = {
    // dockerd through containerd's runc shim
    {"--root", "/var/run/docker/runtime-runc/moby", "--log", "/b/log.json", "--log-format", "json",
     "create", "--bundle", "/b", "--pid-file", "/b/init.pid", "c0ffee"},
    {"--root", "/var/run/docker/runtime-runc/moby", "--log", "/b/log.json", "--log-format", "json",
     "start", "c0ffee"},
    {"--root", "/var/run/docker/runtime-runc/moby", "--log", "/b/log.json", "--log-format", "json",
     "delete", "c0ffee"},
    {"--root", "/var/run/docker/runtime-runc/moby", "--log", "/b/log.json", "--log-format", "json",
     "delete", "--force", "c0ffee"},
    // containerd (ctr, Kubernetes)
    {"--root", "/run/containerd/runc/k8s.io", "--log", "/b/log.json", "--log-format", "json",
     "create", "--bundle", "/b", "--pid-file", "/b/init.pid", "pod1"},
    // podman
    {"create", "--bundle", "/b", "--pid-file", "/b/pidfile", "pod"},
    // plain runc
    {"run", "-b", "/b", "id"},
    {"create", "-b", "/b", "id"},
    {"start", "id"},
    {"delete", "-f", "id"},
    {"--debug", "--systemd-cgroup", "state", "id"},
    {"--root=/run/runc", "--log=/l", "--log-format=text", "run", "id"},
    {"-root", "/run/runc", "-log", "/l", "kill", "id", "KILL"},
    {"--version"},
    {"features"},
    {},
};

TEST(ParseCommandLineTest, EngineCallsAreForwardedVerbatim) {
  for (const Args& call : kEngineCalls) {
    Parsed parsed = Parse(call);
    ASSERT_TRUE(parsed.ok) << parsed.err;
    EXPECT_EQ(call, parsed.cli.runtime_args);
    EXPECT_TRUE(parsed.cli.settings.empty());
    EXPECT_EQ(Action::kRuntimeCall, parsed.cli.action);
    EXPECT_EQ("", parsed.cli.config_path);
  }
}

TEST(ParseCommandLineTest, OurOptionsFirstAreRemovedFromEveryEngineCall) {
  Args ours = {"--oi-readonly-networking-mounts", "--oi-env", "A=1", "--oi-env-force=B=2",
               "--oi-runtime-path", "/usr/sbin/runc"};
  for (const Args& call : kEngineCalls) {
    Parsed parsed = Parse(Concat(ours, call));
    ASSERT_TRUE(parsed.ok) << parsed.err;
    EXPECT_EQ(call, parsed.cli.runtime_args);
    EXPECT_EQ((Settings{{"readonly-networking-mounts", "true"},
                        {"env", "A=1"},
                        {"env-force", "B=2"},
                        {"runtime-path", "/usr/sbin/runc"}}),
              parsed.cli.settings);
  }
}

TEST(ParseCommandLineTest, OurOptionsBetweenRuntimeGlobalOptions) {
  Parsed parsed = Parse({"--root", "/r", "--oi-env", "A=1", "--log", "/l", "--oi-env=B=2",
                         "--log-format", "json", "--oi-write-debug-output", "create", "--bundle",
                         "/b", "id"});
  ASSERT_TRUE(parsed.ok) << parsed.err;
  EXPECT_EQ((Args{"--root", "/r", "--log", "/l", "--log-format", "json", "create", "--bundle",
                  "/b", "id"}),
            parsed.cli.runtime_args);
  EXPECT_EQ((Settings{{"env", "A=1"}, {"env", "B=2"}, {"write-debug-output", "true"}}),
            parsed.cli.settings);
}

TEST(ParseCommandLineTest, GlobalOptionValueIsNotMistakenForCommandOrOption) {
  // "debug", "systemd", "false" are values, not the COMMAND.
  Parsed parsed = Parse({"--log-level", "debug", "--cgroup-manager", "systemd", "--criu", "/c",
                         "--rootless", "false", "--oi-env", "A=1", "create", "id"});
  ASSERT_TRUE(parsed.ok) << parsed.err;
  EXPECT_EQ((Settings{{"env", "A=1"}}), parsed.cli.settings);
  EXPECT_EQ((Args{"--log-level", "debug", "--cgroup-manager", "systemd", "--criu", "/c",
                  "--rootless", "false", "create", "id"}),
            parsed.cli.runtime_args);
}

TEST(ParseCommandLineTest, EnvValueKeepsEveryEqualsSign) {
  Parsed parsed = Parse({"--oi-env", "A=b=c", "--oi-env=D==", "--oi-env-force", "E=", "run", "x"});
  ASSERT_TRUE(parsed.ok) << parsed.err;
  EXPECT_EQ((Settings{{"env", "A=b=c"}, {"env", "D=="}, {"env-force", "E="}}),
            parsed.cli.settings);
}

TEST(ParseCommandLineTest, BooleanSpellings) {
  struct Case {
    Args args;
    std::string value;
  };
  const Case cases[] = {
      {{"--oi-readonly-networking-mounts"}, "true"},
      {{"--oi-readonly-networking-mounts=no"}, "no"},
      {{"--oi-readonly-networking-mounts=false"}, "false"},
      {{"--oi-readonly-networking-mounts=1"}, "1"},
  };
  for (const Case& c : cases) {
    Parsed parsed = Parse(Concat(c.args, {"create", "id"}));
    ASSERT_TRUE(parsed.ok) << parsed.err;
    EXPECT_EQ((Settings{{"readonly-networking-mounts", c.value}}), parsed.cli.settings);
    EXPECT_EQ((Args{"create", "id"}), parsed.cli.runtime_args);
  }
}

TEST(ParseCommandLineTest, BooleanDoesNotSwallowTheCommand) {
  Parsed parsed = Parse({"--oi-write-debug-output", "create", "id"});
  ASSERT_TRUE(parsed.ok) << parsed.err;
  EXPECT_EQ((Settings{{"write-debug-output", "true"}}), parsed.cli.settings);
  EXPECT_EQ((Args{"create", "id"}), parsed.cli.runtime_args);
}

TEST(ParseCommandLineTest, BooleanTakesABooleanWordAfterASpace) {
  // Docker's runtimeArgs ["--oi-exec-env", "false"]: no runtime command is a
  // boolean word, so it is the value.
  Parsed parsed = Parse({"--oi-exec-env", "false", "--oi-readonly-networking-mounts", "YES",
                         "--root", "/r", "create", "id"});
  ASSERT_TRUE(parsed.ok) << parsed.err;
  EXPECT_EQ((Settings{{"exec-env", "false"}, {"readonly-networking-mounts", "YES"}}),
            parsed.cli.settings);
  EXPECT_EQ((Args{"--root", "/r", "create", "id"}), parsed.cli.runtime_args);
}

TEST(ParseCommandLineTest, OurLookingOptionsAfterTheCommandAreUntouched) {
  Args call = {"--root", "/r", "create", "--oi-env", "A=1", "--oi-bogus",
               "--bundle", "/b", "--oi-readonly-networking-mounts", "id"};
  Parsed parsed = Parse(call);
  ASSERT_TRUE(parsed.ok) << parsed.err;
  EXPECT_EQ(call, parsed.cli.runtime_args);
  EXPECT_TRUE(parsed.cli.settings.empty());
}

TEST(ParseCommandLineTest, DoubleDashEndsOurOptions) {
  Parsed parsed = Parse({"--", "--oi-env", "A=1"});
  ASSERT_TRUE(parsed.ok) << parsed.err;
  EXPECT_EQ((Args{"--", "--oi-env", "A=1"}), parsed.cli.runtime_args);
  EXPECT_TRUE(parsed.cli.settings.empty());
}

TEST(ParseCommandLineTest, ConfigAndActions) {
  Parsed parsed = Parse({"--oi-config", "/etc/x.conf", "--oi-check-config"});
  ASSERT_TRUE(parsed.ok) << parsed.err;
  EXPECT_EQ("/etc/x.conf", parsed.cli.config_path);
  EXPECT_EQ(Action::kCheckConfig, parsed.cli.action);
  EXPECT_TRUE(parsed.cli.runtime_args.empty());

  parsed = Parse({"--oi-config=/y.conf", "state", "id"});
  ASSERT_TRUE(parsed.ok) << parsed.err;
  EXPECT_EQ("/y.conf", parsed.cli.config_path);
  EXPECT_EQ(Action::kRuntimeCall, parsed.cli.action);

  EXPECT_EQ(Action::kVersion, Parse({"--oi-version"}).cli.action);
  EXPECT_EQ(Action::kHelp, Parse({"--oi-help"}).cli.action);
}

TEST(ParseCommandLineTest, Registration) {
  Parsed parsed = Parse({"--oi-register", "docker", "--oi-docker-config=/d.json",
                         "--oi-runtime-name", "ro", "--oi-set-default", "--oi-dry-run"});
  ASSERT_TRUE(parsed.ok) << parsed.err;
  EXPECT_EQ(Action::kRegister, parsed.cli.action);
  EXPECT_EQ("docker", parsed.cli.registration.engine);
  EXPECT_FALSE(parsed.cli.registration.unregister);
  EXPECT_EQ("/d.json", parsed.cli.registration.docker_config);
  EXPECT_EQ("ro", parsed.cli.registration.runtime_name);
  EXPECT_TRUE(parsed.cli.registration.set_default);
  EXPECT_TRUE(parsed.cli.registration.dry_run);

  parsed = Parse({"--oi-unregister=docker"});
  ASSERT_TRUE(parsed.ok) << parsed.err;
  EXPECT_TRUE(parsed.cli.registration.unregister);
  EXPECT_EQ("docker", parsed.cli.registration.engine);
}

TEST(ParseCommandLineTest, ParsesTheSameWayTwice) {
  // getopt_long keeps global state; a second parse must not inherit it.
  Args args = {"--oi-env", "A=1", "--oi-readonly-networking-mounts", "create", "id"};
  Parsed first = Parse(args);
  Parsed second = Parse(args);
  ASSERT_TRUE(second.ok) << second.err;
  EXPECT_EQ(first.cli.settings, second.cli.settings);
  EXPECT_EQ(first.cli.runtime_args, second.cli.runtime_args);
}

struct ErrorCase {
  Args args;
  std::string message_part;
};

TEST(ParseCommandLineTest, ErrorsNameTheOptionAndKeepRuntimeArgsComplete) {
  const Args docker = {"--root", "/r", "--log", "/b/log.json", "--log-format", "json",
                       "create", "--bundle", "/b", "id"};
  const ErrorCase cases[] = {
      {{"--oi-bogus"}, "'--oi-bogus'"},
      {{"--oi-bogus=1"}, "'--oi-bogus'"},
      {{"--oi-read"}, "'--oi-read'"},  // no abbreviations of our options
      {{"--oi-check-config=yes"}, "takes no value"},
      {{"--oi-version=1"}, "'--oi-version'"},
  };
  for (const ErrorCase& c : cases) {
    // The bad option first, and between the runtime's global options.
    for (const Args& args :
         {Concat(c.args, docker),
          Concat(Concat({"--root", "/r", "--log", "/b/log.json"}, c.args),
                 {"--log-format", "json", "create", "--bundle", "/b", "id"})}) {
      Parsed parsed = Parse(args);
      EXPECT_FALSE(parsed.ok) << c.args[0];
      EXPECT_NE(std::string::npos, parsed.err.find(c.message_part)) << parsed.err;
      EXPECT_EQ(docker, parsed.cli.runtime_args) << c.args[0];
    }
  }
}

TEST(ParseCommandLineTest, MissingValueIsAnError) {
  for (const char* option : {"--oi-env", "--oi-env-force", "--oi-runtime-path", "--oi-config",
                             "--oi-debug-output-dir", "--oi-log-target", "--oi-on-error"}) {
    Parsed parsed = Parse({"--root", "/r", option});
    EXPECT_FALSE(parsed.ok) << option;
    EXPECT_NE(std::string::npos, parsed.err.find(option)) << parsed.err;
    EXPECT_NE(std::string::npos, parsed.err.find("needs a value")) << parsed.err;
    EXPECT_EQ((Args{"--root", "/r"}), parsed.cli.runtime_args);
  }
}

TEST(ParseCommandLineTest, EmptyConfigPathIsAnErrorNotTheDefault) {
  for (Args args : {Args{"--oi-config=", "state", "id"}, Args{"--oi-config", "", "state", "id"}}) {
    Parsed parsed = Parse(args);
    EXPECT_FALSE(parsed.ok);
    EXPECT_NE(std::string::npos, parsed.err.find("--oi-config: the path is empty")) << parsed.err;
    EXPECT_EQ((Args{"state", "id"}), parsed.cli.runtime_args);
  }
}

TEST(ParseCommandLineTest, AMistypedOptionsValueIsNotTheCommand) {
  // The call fails; the runtime's --log after the typo must still be found.
  Parsed parsed = Parse({"--oi-evn", "X=1", "--root", "/r", "--log", "/l.json", "create", "id"});
  EXPECT_FALSE(parsed.ok);
  EXPECT_NE(std::string::npos, parsed.err.find("unknown option '--oi-evn'")) << parsed.err;
  EXPECT_EQ((Args{"--root", "/r", "--log", "/l.json", "create", "id"}), parsed.cli.runtime_args);
  // A runtime command after the typo is the command.
  parsed = Parse({"--oi-readonly", "state", "id"});
  EXPECT_FALSE(parsed.ok);
  EXPECT_EQ((Args{"state", "id"}), parsed.cli.runtime_args);
}

TEST(ParseCommandLineTest, RegistrationOptionsNeedARegistration) {
  // "--oi-dry-run create ..." would rewrite config.json all the same.
  for (Args args : {Args{"--oi-dry-run", "create", "id"},
                    Args{"--oi-set-default", "--oi-check-config"},
                    Args{"--oi-runtime-name", "x", "--oi-docker-config=/d.json", "state", "id"}}) {
    Parsed parsed = Parse(args);
    EXPECT_FALSE(parsed.ok) << args[0];
    EXPECT_NE(std::string::npos,
              parsed.err.find(args[0].substr(0, args[0].find('=')) +
                              " only goes with --oi-register or --oi-unregister"))
        << parsed.err;
  }
  EXPECT_TRUE(Parse({"--oi-dry-run", "--oi-unregister", "docker"}).ok);
}

TEST(ParseCommandLineTest, OurOptionsAfterAnotherRuntimesOptionValue) {
  // runsc --platform ptrace: "ptrace" is no COMMAND, so ours still follow.
  Parsed parsed = Parse({"--platform", "ptrace", "--oi-env", "Z=1", "create", "--bundle", "b", "id"});
  ASSERT_TRUE(parsed.ok) << parsed.err;
  EXPECT_EQ((Settings{{"env", "Z=1"}}), parsed.cli.settings);
  EXPECT_EQ((Args{"--platform", "ptrace", "create", "--bundle", "b", "id"}), parsed.cli.runtime_args);
  // A flag runc knows takes no value: the word after it is the COMMAND.
  parsed = Parse({"--debug", "state", "--oi-env", "Z=1"});
  EXPECT_EQ((Args{"--debug", "state", "--oi-env", "Z=1"}), parsed.cli.runtime_args);
}

TEST(ParseCommandLineTest, FirstErrorIsReported) {
  Parsed parsed = Parse({"--oi-first", "--oi-second", "state", "id"});
  EXPECT_FALSE(parsed.ok);
  EXPECT_NE(std::string::npos, parsed.err.find("--oi-first")) << parsed.err;
  EXPECT_EQ((Args{"state", "id"}), parsed.cli.runtime_args);
}

TEST(UsageTextTest, ListsEverySettingAndAction) {
  std::string usage = UsageText();
  for (const char* option :
       {"--oi-runtime-path", "--oi-readonly-networking-mounts", "--oi-env ", "--oi-env-force",
        "--oi-write-debug-output", "--oi-debug-output-dir", "--oi-log-target", "--oi-on-error",
        "--oi-config", "--oi-check-config", "--oi-version", "--oi-help", "--oi-register"}) {
    EXPECT_NE(std::string::npos, usage.find(option)) << option;
  }
}

}  // namespace
}  // namespace oci
