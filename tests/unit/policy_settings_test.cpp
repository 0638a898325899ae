// The policy keys of issue 7 as settings: values checked and normalised when
// set, errors naming the value (with PATH:LINE: from a config file), merging
// across layers, --oi-check-config lines, command-line options, and how the
// env rules combine.
#include <gtest/gtest.h>

#include <algorithm>

#include <string>
#include <vector>

#include "capability.h"
#include "cli.h"
#include "config_file.h"
#include "policy_values.h"
#include "rules.h"
#include "settings.h"
#include "spec.h"

namespace oci {
namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

void Set(Settings* settings, const std::string& key, const std::string& value,
         const Origin& origin = Origin::CommandLine()) {
  std::string err;
  ASSERT_TRUE(settings->SetItem(key, value, origin, &err)) << key << "=" << value << ": " << err;
}

TEST(PolicySettingsTest, ValuesAreNormalised) {
  Settings s;
  Set(&s, "drop-capability", "net_raw");
  Set(&s, "drop-capability", "CAP_sys_Admin");
  Set(&s, "drop-capability", "CAP_NET_RAW");  // same capability: merged
  Set(&s, "mask-path", "/proc//kcore/");
  Set(&s, "readonly-path", "/sys/firmware");
  Set(&s, "readonly-mount", "/data");
  Set(&s, "env-unset", "AWS_SECRET_ACCESS_KEY");
  Set(&s, "pids-limit", "0100");
  Set(&s, "bind-mount", "/etc/localtime:/etc/localtime:ro");
  Set(&s, "bind-mount", "/srv/ca/:/etc/ssl/certs");
  Set(&s, "hook", "PreStart:/usr/bin/oi-hook:oi-hook:--mark:x");
  Set(&s, "no-new-privileges", "yes");
  Set(&s, "exec-env", "on");

  ASSERT_EQ(2u, s.drop_capabilities.size());
  EXPECT_EQ("CAP_NET_RAW", s.drop_capabilities[0].value);
  EXPECT_EQ("CAP_SYS_ADMIN", s.drop_capabilities[1].value);
  EXPECT_EQ("/proc/kcore", s.mask_paths.at(0).value);
  EXPECT_EQ("/sys/firmware", s.readonly_paths.at(0).value);
  EXPECT_EQ("/data", s.readonly_mounts.at(0).value);
  EXPECT_EQ("AWS_SECRET_ACCESS_KEY", s.env_unset.at(0).value);
  EXPECT_EQ(100, s.pids_limit);
  ASSERT_EQ(2u, s.bind_mounts.size());
  EXPECT_EQ("/etc/localtime", s.bind_mounts[0].source);
  EXPECT_TRUE(s.bind_mounts[0].readonly);
  EXPECT_EQ("/srv/ca", s.bind_mounts[1].source);
  EXPECT_EQ("/etc/ssl/certs", s.bind_mounts[1].destination);
  EXPECT_FALSE(s.bind_mounts[1].readonly);
  ASSERT_EQ(1u, s.hooks.size());
  EXPECT_EQ("prestart", s.hooks[0].stage);
  EXPECT_EQ("/usr/bin/oi-hook", s.hooks[0].path);
  EXPECT_EQ((std::vector<std::string>{"oi-hook", "--mark", "x"}), s.hooks[0].args);
  EXPECT_TRUE(s.no_new_privileges);
  EXPECT_TRUE(s.exec_env);
}

struct BadValue {
  const char* key;
  const char* value;
  const char* message;  // a part of the error
};

const BadValue kBadValues[] = {
    {"drop-capability", "CAP_FLY", "drop-capability: 'CAP_FLY' is not a capability name"},
    {"drop-capability", "", "is not a capability name"},
    {"drop-capability", "ALL", "'ALL' is not a capability name"},
    {"mask-path", "proc/kcore", "mask-path: 'proc/kcore' is not an absolute path"},
    {"mask-path", "", "is not an absolute path"},
    {"mask-path", "/", "names the root directory"},
    {"readonly-path", "/proc/../etc", "'/proc/../etc' has a '..' component"},
    {"readonly-mount", "./data", "'./data' is not an absolute path"},
    {"pids-limit", "0", "pids-limit: '0' is not a positive integer"},
    {"pids-limit", "-5", "'-5' is not a positive integer"},
    {"pids-limit", "+5", "'+5' is not a positive integer"},
    {"pids-limit", "ten", "'ten' is not a positive integer"},
    {"pids-limit", "12 ", "'12 ' is not a positive integer"},
    {"pids-limit", "99999999999999999999", "is not a positive integer"},
    {"hook", "prestop:/bin/h", "hook: 'prestop' is not a hook stage (prestart, createRuntime"},
    {"hook", "prestart:bin/h", "'bin/h' is not an absolute path"},
    {"hook", "prestart", "'prestart' is not STAGE:PATH[:ARG...]"},
    {"hook", "prestart:/bin/h:", "has an empty ARG"},
    {"bind-mount", "/etc/localtime", "bind-mount: '/etc/localtime' is not SRC:DST[:ro|rw]"},
    {"bind-mount", "/a:/b:rx", "'rx' is not ro or rw"},
    {"bind-mount", "a:/b", "'a' is not an absolute path"},
    {"bind-mount", "/a:b", "'b' is not an absolute path"},
    {"bind-mount", "/a:/b:ro:x", "is not SRC:DST[:ro|rw]"},
    {"env-unset", "A=B", "env-unset: 'A=B' is not a variable name"},
    {"env-unset", "", "empty variable name"},
    {"no-new-privileges", "maybe", "'maybe' is not a boolean"},
    {"exec-env", "2", "'2' is not a boolean"},
};

TEST(PolicySettingsTest, BadValuesAreErrorsNamingTheValueAndChangeNothing) {
  for (const BadValue& bad : kBadValues) {
    Settings s;
    std::string err;
    EXPECT_FALSE(s.SetItem(bad.key, bad.value, Origin::CommandLine(), &err))
        << bad.key << "=" << bad.value;
    EXPECT_TRUE(Contains(err, bad.message)) << bad.key << "=" << bad.value << ": " << err;
    EXPECT_FALSE(s.AnyRuleEnabled()) << bad.key;
    EXPECT_TRUE(s.origins.empty()) << bad.key;
  }
}

TEST(PolicySettingsTest, ConfigFileErrorsCarryPathAndLine) {
  const std::string path = "/etc/oci-interceptor.conf";
  std::vector<ConfigEntry> entries;
  std::string err;
  ASSERT_TRUE(ParseConfigText(
      path, "# policy\nmask-path = /proc/kcore\ndrop-capability = CAP_NOPE\n", &entries, &err))
      << err;
  Settings s;
  EXPECT_FALSE(ApplyConfigEntries(path, entries, &s, &err));
  EXPECT_EQ("/etc/oci-interceptor.conf:3: drop-capability: 'CAP_NOPE' is not a capability name "
            "(e.g. CAP_NET_RAW or net_raw)",
            err);
}

TEST(PolicySettingsTest, ListsMergeAcrossLayersAndTheLaterOriginWins) {
  Settings s;
  Origin file = Origin::File("/etc/oci-interceptor.conf", 4);
  Set(&s, "mask-path", "/proc/kcore", file);
  Set(&s, "bind-mount", "/a:/etc/localtime", file);
  Set(&s, "hook", "prestart:/bin/h", file);
  Set(&s, "mask-path", "/proc/kcore/");
  Set(&s, "mask-path", "/proc/timer_list");
  Set(&s, "bind-mount", "/b:/etc/localtime:ro");  // same destination: replaced
  Set(&s, "hook", "prestart:/bin/h:h:1");          // other args: another hook
  ASSERT_EQ(2u, s.mask_paths.size());
  EXPECT_EQ(Origin::kCommandLine, s.mask_paths[0].origin.kind);
  ASSERT_EQ(1u, s.bind_mounts.size());
  EXPECT_EQ("/b", s.bind_mounts[0].source);
  EXPECT_TRUE(s.bind_mounts[0].readonly);
  EXPECT_EQ(2u, s.hooks.size());
  Set(&s, "pids-limit", "50", file);
  Set(&s, "pids-limit", "20");
  EXPECT_EQ(20, s.pids_limit);
  EXPECT_EQ(Origin::kCommandLine, s.origins.at("pids-limit").kind);
}

TEST(PolicySettingsTest, CheckConfigDescribesEveryNewKeyWithItsOrigin) {
  Settings s;
  std::string defaults = s.Describe();
  for (const char* line :
       {"# readonly-mount: none\n", "# mask-path: none\n", "# readonly-path: none\n",
        "# drop-capability: none\n", "no-new-privileges = false  # default\n",
        "# pids-limit: none\n", "# bind-mount: none\n", "# hook: none\n", "# env-unset: none\n",
        "exec-env = false  # default\n"}) {
    EXPECT_TRUE(Contains(defaults, line)) << line << " in:\n" << defaults;
  }
  Origin file = Origin::File("/etc/oci-interceptor.conf", 7);
  Set(&s, "mask-path", "/proc/kcore", file);
  Set(&s, "drop-capability", "net_raw");
  Set(&s, "pids-limit", "64", file);
  Set(&s, "bind-mount", "/a:/b:ro");
  Set(&s, "hook", "poststop:/bin/h:h:x");
  Set(&s, "env-unset", "TOKEN", file);
  Set(&s, "no-new-privileges", "true");
  Set(&s, "readonly-path", "/sys");
  Set(&s, "readonly-mount", "/data");
  Set(&s, "exec-env", "true", file);
  std::string text = s.Describe();
  for (const char* line : {"mask-path = /proc/kcore  # /etc/oci-interceptor.conf:7\n",
                           "drop-capability = CAP_NET_RAW  # command line\n",
                           "pids-limit = 64  # /etc/oci-interceptor.conf:7\n",
                           "bind-mount = /a:/b:ro  # command line\n",
                           "hook = poststop:/bin/h:h:x  # command line\n",
                           "env-unset = TOKEN  # /etc/oci-interceptor.conf:7\n",
                           "no-new-privileges = true  # command line\n",
                           "readonly-path = /sys  # command line\n",
                           "readonly-mount = /data  # command line\n",
                           "exec-env = true  # /etc/oci-interceptor.conf:7\n"}) {
    EXPECT_TRUE(Contains(text, line)) << line << " in:\n" << text;
  }
  // Every key of the table appears.
  for (const SettingKey& key : SettingKeys()) {
    EXPECT_TRUE(Contains(defaults, key.name)) << key.name;
  }
}

TEST(PolicySettingsTest, EachRuleEnablesRulesButExecEnvAloneDoesNot) {
  const std::pair<const char*, const char*> kRules[] = {
      {"readonly-mount", "/d"}, {"mask-path", "/p"},          {"readonly-path", "/p"},
      {"drop-capability", "CAP_KILL"}, {"no-new-privileges", "true"}, {"pids-limit", "9"},
      {"bind-mount", "/a:/b"},  {"hook", "prestart:/h"},      {"env-unset", "A"},
  };
  for (const auto& [key, value] : kRules) {
    Settings s;
    Set(&s, key, value);
    EXPECT_TRUE(s.AnyRuleEnabled()) << key;
    EXPECT_FALSE(s.ExecEnvEnabled()) << key;
  }
  Settings s;
  Set(&s, "exec-env", "true");
  EXPECT_FALSE(s.AnyRuleEnabled());
  EXPECT_FALSE(s.ExecEnvEnabled());
  Set(&s, "env-unset", "A");
  EXPECT_TRUE(s.ExecEnvEnabled());
}

TEST(PolicySettingsTest, EveryKeyRowIsComplete) {
  for (const SettingKey& key : SettingKeys()) {
    EXPECT_NE(nullptr, key.set) << key.name;
    EXPECT_NE(nullptr, key.describe) << key.name;
    EXPECT_NE(nullptr, key.arg) << key.name;
    EXPECT_EQ(key.type == KeyType::kBool, std::string(key.arg).empty()) << key.name;
  }
}

TEST(PolicySettingsTest, CapabilityNames) {
  EXPECT_EQ(41u, KnownCapabilities().size());
  std::string name, err;
  for (const std::string& known : KnownCapabilities()) {
    ASSERT_TRUE(NormalizeCapability(known.substr(4), &name, &err)) << known;
    EXPECT_EQ(known, name);
  }
  EXPECT_FALSE(NormalizeCapability("CAP_", &name, &err));
  EXPECT_FALSE(NormalizeCapability("CAPNET_RAW", &name, &err));
}

// ---- command line

CommandLine Parse(std::vector<const char*> args) {
  args.insert(args.begin(), "oci-interceptor");
  CommandLine cli;
  std::string err;
  EXPECT_TRUE(ParseCommandLine(static_cast<int>(args.size()), args.data(), &cli, &err)) << err;
  return cli;
}

TEST(PolicyCommandLineTest, NewOptionsBecomeSettings) {
  CommandLine cli = Parse({"--oi-drop-capability", "net_raw", "--oi-no-new-privileges",
                           "--oi-mask-path=/proc/kcore", "--oi-hook", "prestart:/h:h:a=b",
                           "--oi-exec-env=false", "--oi-pids-limit", "10", "--root", "/r",
                           "create", "--bundle", "/b", "id"});
  using Pair = std::pair<std::string, std::string>;
  EXPECT_EQ((std::vector<Pair>{{"drop-capability", "net_raw"},
                               {"no-new-privileges", "true"},
                               {"mask-path", "/proc/kcore"},
                               {"hook", "prestart:/h:h:a=b"},
                               {"exec-env", "false"},
                               {"pids-limit", "10"}}),
            cli.settings);
  EXPECT_EQ((std::vector<std::string>{"--root", "/r", "create", "--bundle", "/b", "id"}),
            cli.runtime_args);
}

TEST(PolicyCommandLineTest, Explain) {
  CommandLine cli = Parse({"--oi-env", "A=1", "--oi-explain", "/var/lib/bundle"});
  EXPECT_EQ(Action::kExplain, cli.action);
  EXPECT_EQ("/var/lib/bundle", cli.explain_bundle);
  cli = Parse({"--oi-explain=/b"});
  EXPECT_EQ("/b", cli.explain_bundle);
  std::vector<const char*> args = {"oci-interceptor", "--oi-explain"};
  std::string err;
  EXPECT_FALSE(ParseCommandLine(2, args.data(), &cli, &err));
  EXPECT_TRUE(Contains(err, "oi-explain")) << err;
}

TEST(PolicyCommandLineTest, HelpShowsPlaceholders) {
  std::string help = UsageText();
  for (const char* option :
       {"--oi-readonly-mount PATH", "--oi-mask-path PATH", "--oi-readonly-path PATH",
        "--oi-drop-capability CAP", "--oi-no-new-privileges[=BOOL]", "--oi-pids-limit N",
        "--oi-bind-mount SRC:DST[:ro|rw]", "--oi-hook STAGE:PATH[:ARG...]", "--oi-env-unset NAME",
        "--oi-exec-env[=BOOL]", "--oi-env NAME=VALUE", "--oi-explain BUNDLE_DIR"}) {
    EXPECT_TRUE(Contains(help, option)) << option;
  }
}

// ---- how the rules combine (ApplyRules)

Json::Value ParseJson(const std::string& text) {
  Json::Value value;
  std::string err;
  EXPECT_TRUE(ParseSpec(text, &value, &err)) << err;
  return value;
}

TEST(PolicyApplyRulesTest, EnvUnsetThenEnvReplaces) {
  Settings s;
  Set(&s, "env-unset", "PROXY");
  Set(&s, "env", "PROXY=ours");
  Set(&s, "env-unset", "TOKEN");
  Set(&s, "env-force", "TOKEN=forced");
  Set(&s, "env-unset", "SECRET");
  Json::Value spec =
      ParseJson(R"({"process":{"env":["PROXY=theirs","TOKEN=a","SECRET=s","KEEP=1"]}})");
  Changes changes;
  std::string err;
  ASSERT_TRUE(ApplyRules(s, &spec, &changes, &err)) << err;
  EXPECT_EQ(ParseJson(R"({"process":{"env":["PROXY=ours","TOKEN=forced","KEEP=1"]}})"), spec);
  EXPECT_EQ((Changes{"env-unset:SECRET", "env-force:PROXY", "env-force:TOKEN"}), changes);

  Changes again;
  Json::Value twice = spec;
  ASSERT_TRUE(ApplyRules(s, &twice, &again, &err)) << err;
  EXPECT_EQ(spec, twice);
  EXPECT_TRUE(again.empty());
}

// Found by the config_file fuzzer: a bind mount onto a networking file used
// to be added after readonly-networking-mounts ran, so a second pass made it
// read-only.
TEST(PolicyApplyRulesTest, ABindMountOntoANetworkingFileIsReadOnlyAtOnce) {
  Settings s;
  Set(&s, "readonly-networking-mounts", "true");
  Set(&s, "bind-mount", "/srv/resolv.conf:/etc/resolv.conf");
  Json::Value spec = ParseJson(R"({"mounts":[]})");
  Changes changes;
  std::string err;
  ASSERT_TRUE(ApplyRules(s, &spec, &changes, &err)) << err;
  const Json::Value& options = spec["mounts"][0]["options"];
  EXPECT_NE(std::find(options.begin(), options.end(), Json::Value("ro")), options.end())
      << SerializeSpec(spec);

  Changes again;
  Json::Value twice = spec;
  ASSERT_TRUE(ApplyRules(s, &twice, &again, &err)) << err;
  EXPECT_EQ(spec, twice);
  EXPECT_TRUE(again.empty());
}

TEST(PolicyApplyRulesTest, EveryRuleOnDockersConfigIsIdempotent) {
  Settings s;
  Set(&s, "readonly-networking-mounts", "true");
  Set(&s, "bind-mount", "/etc/localtime:/etc/localtime:ro");
  Set(&s, "readonly-mount", "/etc/localtime");
  Set(&s, "readonly-mount", "/data");
  Set(&s, "mask-path", "/proc/kcore");
  Set(&s, "mask-path", "/proc/oi");
  Set(&s, "readonly-path", "/proc/sys");
  Set(&s, "drop-capability", "NET_RAW");
  Set(&s, "no-new-privileges", "true");
  Set(&s, "pids-limit", "64");
  Set(&s, "hook", "prestart:/usr/libexec/oi-hook");
  Set(&s, "env-unset", "TERM");
  Set(&s, "env", "TZ=UTC");
  const char* docker_like = R"({"ociVersion":"1.0.2-dev",
    "process":{"args":["sh"],"env":["PATH=/bin","HOSTNAME=x","TERM=xterm"],
      "capabilities":{"bounding":["CAP_CHOWN","CAP_NET_RAW"],"effective":["CAP_NET_RAW"],
        "permitted":["CAP_NET_RAW"]},"noNewPrivileges":false},
    "mounts":[{"destination":"/proc","type":"proc","source":"proc"},
      {"destination":"/data","type":"bind","source":"/srv","options":["rbind","rprivate"]},
      {"destination":"/etc/hosts","type":"bind","source":"/h","options":["rbind","rprivate"]}],
    "linux":{"resources":{"pids":{"limit":4096}},
      "maskedPaths":["/proc/kcore"],"readonlyPaths":["/proc/sys"]}})";
  Json::Value spec = ParseJson(docker_like);
  Changes changes;
  std::string err;
  ASSERT_TRUE(ApplyRules(s, &spec, &changes, &err)) << err;
  EXPECT_EQ((Changes{"bind:/etc/localtime", "readonly:/etc/hosts", "readonly:/data",
                     "mask:/proc/oi", "cap-drop:CAP_NET_RAW", "no-new-privileges", "pids-limit",
                     "hook:prestart", "env-unset:TERM", "env:TZ"}),
            changes);
  EXPECT_EQ(Json::Value("/etc/localtime"), spec["mounts"][3]["destination"]);
  EXPECT_EQ(64, spec["linux"]["resources"]["pids"]["limit"].asInt());

  Json::Value twice = spec;
  Changes again;
  ASSERT_TRUE(ApplyRules(s, &twice, &again, &err)) << err;
  EXPECT_EQ(spec, twice);
  EXPECT_TRUE(again.empty()) << again.size();
}

TEST(PolicyApplyRulesTest, AnErrorNamesTheJsonPath) {
  Settings s;
  Set(&s, "pids-limit", "5");
  Json::Value spec = ParseJson(R"({"linux":{"resources":{"pids":[]}}})");
  Changes changes;
  std::string err;
  EXPECT_FALSE(ApplyRules(s, &spec, &changes, &err));
  EXPECT_EQ("linux.resources.pids is not an object", err);
}

}  // namespace
}  // namespace oci
