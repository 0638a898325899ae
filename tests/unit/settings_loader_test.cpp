// Which config file applies: --oi-config, $OCI_INTERCEPTOR_CONFIG, the
// profile of the program name, the default.
#include "settings_loader.h"

#include <gtest/gtest.h>

#include "config_file.h"
#include "test_util.h"

namespace oci {
namespace {

TEST(SettingsLoader, ProfileOfProgram) {
  EXPECT_EQ("strict", ProfileOfProgram("/usr/bin/oci-interceptor-strict"));
  EXPECT_EQ("strict", ProfileOfProgram("oci-interceptor-strict"));
  EXPECT_EQ("", ProfileOfProgram("/usr/bin/oci-interceptor"));
  EXPECT_EQ("", ProfileOfProgram("oci-interceptor-"));
  EXPECT_EQ("", ProfileOfProgram("/opt/oci-interceptor-x/oci-interceptor"));
  EXPECT_EQ("", ProfileOfProgram(""));
}

TEST(SettingsLoader, ChoiceOrder) {
  const std::string profile = "/usr/bin/oci-interceptor-strict";
  ConfigSource source = ChooseConfigSource("/c.conf", "/e.conf", profile);
  EXPECT_EQ("/c.conf", source.path);
  EXPECT_TRUE(source.explicit_path);
  source = ChooseConfigSource("", "/e.conf", profile);
  EXPECT_EQ("/e.conf", source.path);
  EXPECT_TRUE(source.explicit_path);
  source = ChooseConfigSource("", "", profile);
  EXPECT_EQ("/etc/oci-interceptor.d/strict.conf", source.path);
  EXPECT_TRUE(source.explicit_path);  // a missing profile file is an error
  source = ChooseConfigSource("", nullptr, "/usr/bin/oci-interceptor");
  EXPECT_EQ(kDefaultConfigPath, source.path);
  EXPECT_FALSE(source.explicit_path);
}

TEST(SettingsLoader, AMissingProfileFileIsAnError) {
  CommandLine cli;
  cli.program_name = "oci-interceptor-oi-unit-test-no-such-profile";
  Settings settings;
  ConfigSource source;
  std::string err;
  EXPECT_FALSE(LoadSettings(cli, nullptr, false, &settings, &source, &err));
  EXPECT_NE(std::string::npos, err.find("/etc/oci-interceptor.d/oi-unit-test-no-such-profile.conf"))
      << err;
}

class LenientSettingsTest : public test::TempDirTest {};

TEST_F(LenientSettingsTest, TakesTheLinesBeforeTheFirstBadOneThenTheCommandLine) {
  std::string conf = Path("oi.conf");
  test::WriteFile(conf,
            "runtime-path = /first/runc\nlog-target = file\nno-such-key = 1\n"
            "runtime-path = /after/the/error\n",
            0600);
  CommandLine cli;
  ConfigSource source{conf, true, true};
  Settings settings = LenientSettings(cli, source, false);
  EXPECT_EQ("/first/runc", settings.runtime_path);
  EXPECT_EQ(LogTarget::kFile, settings.log_target);
  cli.settings.emplace_back("runtime-path", "/cli/runc");
  cli.settings.emplace_back("log-target", "bogus");
  settings = LenientSettings(cli, source, false);
  EXPECT_EQ("/cli/runc", settings.runtime_path);
  EXPECT_EQ(LogTarget::kFile, settings.log_target);  // the bad value is skipped
}

TEST_F(LenientSettingsTest, AnUnsafeFileNamesNothing) {
  std::string conf = Path("oi.conf");
  test::WriteFile(conf, "runtime-path = /planted/runc\n", 0666);
  ConfigSource source{conf, true, true};
  EXPECT_EQ("runc", LenientSettings(CommandLine(), source, true).runtime_path);
}

}  // namespace
}  // namespace oci
