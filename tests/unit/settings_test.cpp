#include "settings.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rules.h"
#include "spec.h"
#include "test_util.h"

namespace oci {
namespace {

using test::Contains;

// Sets a key that must be accepted.
void Set(Settings* settings, const std::string& key, const std::string& value,
         const Origin& origin) {
  std::string err;
  ASSERT_TRUE(settings->SetItem(key, value, origin, &err)) << key << "=" << value << ": " << err;
}

TEST(OriginTest, Describe) {
  EXPECT_EQ("default", Origin::Default().Describe());
  EXPECT_EQ("/etc/oci-interceptor.conf:12", Origin::File("/etc/oci-interceptor.conf", 12).Describe());
  EXPECT_EQ("command line", Origin::CommandLine().Describe());
}

TEST(SettingsTest, DefaultsAreTheDesignTable) {
  Settings settings;
  EXPECT_EQ("runc", settings.runtime_path);
  EXPECT_FALSE(settings.readonly_networking_mounts);
  EXPECT_TRUE(settings.env.empty());
  EXPECT_TRUE(settings.env_force.empty());
  EXPECT_FALSE(settings.write_debug_output);
  EXPECT_EQ("/var/log/oci-interceptor", settings.debug_output_dir);
  EXPECT_EQ(LogTarget::kAuto, settings.log_target);
  EXPECT_EQ(OnError::kFail, settings.on_error);
  EXPECT_FALSE(settings.AnyRuleEnabled());

  std::string text = settings.Describe();
  EXPECT_TRUE(Contains(text, "runtime-path = runc  # default\n")) << text;
  EXPECT_TRUE(Contains(text, "readonly-networking-mounts = false  # default\n")) << text;
  EXPECT_TRUE(Contains(text, "# env: none\n")) << text;
  EXPECT_TRUE(Contains(text, "# env-force: none\n")) << text;
  EXPECT_TRUE(Contains(text, "write-debug-output = false  # default\n")) << text;
  EXPECT_TRUE(Contains(text, "debug-output-dir = /var/log/oci-interceptor  # default\n")) << text;
  EXPECT_TRUE(Contains(text, "log-target = auto  # default\n")) << text;
  EXPECT_TRUE(Contains(text, "on-error = fail  # default\n")) << text;
}

TEST(SettingsTest, EveryKeyIsDescribed) {
  std::string text = Settings().Describe();
  for (const SettingKey& key : SettingKeys()) {
    EXPECT_TRUE(Contains(text, std::string(key.name) + " = ") ||
                Contains(text, std::string("# ") + key.name + ": none"))
        << key.name << " missing from\n" << text;
    EXPECT_EQ(&key, FindSettingKey(key.name));
  }
  EXPECT_EQ(nullptr, FindSettingKey("oi-env"));
  EXPECT_EQ(nullptr, FindSettingKey("runtime"));
}

TEST(SettingsTest, LaterLayerWinsAndCarriesItsOrigin) {
  Settings settings;
  Set(&settings, "runtime-path", "/file/runc", Origin::File("/c.conf", 3));
  Set(&settings, "log-target", "file", Origin::File("/c.conf", 4));
  Set(&settings, "runtime-path", "/cli/runc", Origin::CommandLine());
  EXPECT_EQ("/cli/runc", settings.runtime_path);
  EXPECT_EQ(LogTarget::kFile, settings.log_target);
  std::string text = settings.Describe();
  EXPECT_TRUE(Contains(text, "runtime-path = /cli/runc  # command line\n")) << text;
  EXPECT_TRUE(Contains(text, "log-target = file  # /c.conf:4\n")) << text;
  EXPECT_TRUE(Contains(text, "on-error = fail  # default\n")) << text;
}

TEST(SettingsTest, BooleanSpellings) {
  for (const char* word : {"true", "yes", "on", "1"}) {
    Settings settings;
    Set(&settings, "readonly-networking-mounts", word, Origin::CommandLine());
    Set(&settings, "write-debug-output", word, Origin::CommandLine());
    EXPECT_TRUE(settings.readonly_networking_mounts) << word;
    EXPECT_TRUE(settings.write_debug_output) << word;
    EXPECT_TRUE(settings.AnyRuleEnabled()) << word;
  }
  for (const char* word : {"false", "no", "off", "0"}) {
    Settings settings;
    settings.readonly_networking_mounts = settings.write_debug_output = true;
    Set(&settings, "readonly-networking-mounts", word, Origin::CommandLine());
    Set(&settings, "write-debug-output", word, Origin::CommandLine());
    EXPECT_FALSE(settings.readonly_networking_mounts) << word;
    EXPECT_FALSE(settings.write_debug_output) << word;
  }
}

TEST(SettingsTest, BadValuesAreErrorsAndChangeNothing) {
  struct Case {
    const char* key;
    std::string value;
    const char* message_part;
  };
  const Case cases[] = {
      {"readonly-networking-mounts", "", "is not a boolean"},
      {"readonly-networking-mounts", "2", "is not a boolean"},
      {"readonly-networking-mounts", "yess", "is not a boolean"},
      {"write-debug-output", "true ", "is not a boolean"},
      {"runtime-path", "", "empty value"},
      {"runtime-path", std::string("/usr/bin/ru\0nc", 14), "NUL"},
      {"debug-output-dir", "", "empty value"},
      {"debug-output-dir", "relative/dir", "'relative/dir' is not an absolute path"},
      {"log-target", "syslog", "'syslog' is not one of auto, journald, file"},
      {"log-target", "", "is not one of"},
      {"on-error", "ignore", "'ignore' is not one of fail, passthrough"},
      {"env", "NOEQUALS", "'NOEQUALS' is not NAME=VALUE"},
      {"env", "=value", "empty NAME"},
      {"env-force", "", "is not NAME=VALUE"},
      {"env-force", std::string("A\0B=1", 5), "NUL"},
      {"env", std::string("A=x\0y", 5), "NUL"},
      {"no-such-key", "1", "unknown key 'no-such-key'"},
  };
  for (const Case& c : cases) {
    Settings settings;
    Set(&settings, "log-target", "journald", Origin::File("/c", 1));
    Set(&settings, "on-error", "passthrough", Origin::File("/c", 2));
    Set(&settings, "readonly-networking-mounts", "on", Origin::File("/c", 3));
    std::string before = settings.Describe();
    std::string err;
    EXPECT_FALSE(settings.SetItem(c.key, c.value, Origin::CommandLine(), &err)) << c.key;
    EXPECT_TRUE(Contains(err, c.message_part)) << c.key << ": " << err;
    if (FindSettingKey(c.key)) {
      EXPECT_EQ(0u, err.find(std::string(c.key) + ": ")) << "names the key: " << err;
    }
    EXPECT_EQ(before, settings.Describe()) << c.key;
  }
}

TEST(SettingsTest, EnvEntriesMergeAcrossLayers) {
  Settings settings;
  Set(&settings, "env", "A=file", Origin::File("/c.conf", 1));
  Set(&settings, "env", "B=file", Origin::File("/c.conf", 2));
  Set(&settings, "env-force", "A=forced", Origin::File("/c.conf", 3));
  Set(&settings, "env", "C=cli", Origin::CommandLine());
  Set(&settings, "env", "A=cli", Origin::CommandLine());
  ASSERT_EQ(3u, settings.env.size());
  EXPECT_EQ("A", settings.env[0].name);  // replaced in place
  EXPECT_EQ("cli", settings.env[0].value);
  EXPECT_EQ("command line", settings.env[0].origin.Describe());
  EXPECT_EQ("B", settings.env[1].name);
  EXPECT_EQ("/c.conf:2", settings.env[1].origin.Describe());
  EXPECT_EQ("C", settings.env[2].name);
  ASSERT_EQ(1u, settings.env_force.size());  // env and env-force are separate lists
  EXPECT_EQ("forced", settings.env_force[0].value);

  std::string text = settings.Describe();
  EXPECT_TRUE(Contains(text, "env = A=cli  # command line\n")) << text;
  EXPECT_TRUE(Contains(text, "env = B=file  # /c.conf:2\n")) << text;
  EXPECT_TRUE(Contains(text, "env = C=cli  # command line\n")) << text;
  EXPECT_TRUE(Contains(text, "env-force = A=forced  # /c.conf:3\n")) << text;
  EXPECT_FALSE(Contains(text, "A=file")) << text;
}

TEST(SettingsTest, EnvForceBeatsEnvFromAnyLayer) {
  Settings settings;
  Set(&settings, "env-force", "A=forced", Origin::File("/c.conf", 1));
  Set(&settings, "env", "A=cli", Origin::CommandLine());
  Json::Value spec;
  std::string err;
  ASSERT_TRUE(ParseSpec(R"({"process":{"env":[]}})", &spec, &err)) << err;
  Changes changes;
  ASSERT_TRUE(ApplyRules(settings, &spec, &changes, &err)) << err;
  ASSERT_EQ(1u, spec["process"]["env"].size());
  EXPECT_EQ("A=forced", spec["process"]["env"][0].asString());
}

TEST(SettingsTest, EnvValuesMayBeEmptyOrHoldEquals) {
  Settings settings;
  Set(&settings, "env", "EMPTY=", Origin::CommandLine());
  Set(&settings, "env", "URL=http://x/?a=b#c", Origin::CommandLine());
  ASSERT_EQ(2u, settings.env.size());
  EXPECT_EQ("", settings.env[0].value);
  EXPECT_EQ("URL", settings.env[1].name);
  EXPECT_EQ("http://x/?a=b#c", settings.env[1].value);
  EXPECT_TRUE(settings.AnyRuleEnabled());
}

TEST(SettingsTest, ParseEnvAssignment) {
  std::string name, value, err;
  ASSERT_TRUE(ParseEnvAssignment("A=b=c", &name, &value, &err)) << err;
  EXPECT_EQ("A", name);
  EXPECT_EQ("b=c", value);
  EXPECT_FALSE(ParseEnvAssignment("=x", &name, &value, &err));
  EXPECT_FALSE(ParseEnvAssignment("x", &name, &value, &err));
  EXPECT_FALSE(ParseEnvAssignment("", &name, &value, &err));
}

TEST(SettingsTest, EnvNameWithWhiteSpaceIsAnError) {
  std::string name, value, err;
  // "env = A = 1" in the config file: the NAME would be "A ".
  EXPECT_FALSE(ParseEnvAssignment("A = 1", &name, &value, &err));
  EXPECT_NE(std::string::npos, err.find("white space")) << err;
  EXPECT_FALSE(ParseEnvAssignment("MY VAR=1", &name, &value, &err));
  ASSERT_TRUE(ParseEnvAssignment("A= spaced value ", &name, &value, &err)) << err;
  EXPECT_EQ(" spaced value ", value);
}

TEST(SettingsTest, ParseBoolIgnoresCase) {
  bool value = false;
  EXPECT_TRUE(ParseBool("TRUE", &value));
  EXPECT_TRUE(value);
  EXPECT_TRUE(ParseBool("No", &value));
  EXPECT_FALSE(value);
  EXPECT_TRUE(ParseBool("ON", &value));
  EXPECT_TRUE(value);
}

TEST(SettingsTest, ParseBoolLeavesValueOnFailure) {
  bool value = true;
  EXPECT_FALSE(ParseBool("nope", &value));
  EXPECT_TRUE(value);
  EXPECT_TRUE(ParseBool("off", &value));
  EXPECT_FALSE(value);
}

}  // namespace
}  // namespace oci
