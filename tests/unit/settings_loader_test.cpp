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

}  // namespace
}  // namespace oci
