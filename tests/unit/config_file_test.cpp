#include "config_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "settings_loader.h"
#include "test_util.h"

namespace oci {
namespace {

using test::Contains;

using test::WriteFile;

std::vector<ConfigEntry> MustParse(const std::string& text) {
  std::vector<ConfigEntry> entries;
  std::string err;
  EXPECT_TRUE(ParseConfigText("/c.conf", text, &entries, &err)) << err;
  return entries;
}

std::string ParseError(const std::string& text) {
  std::vector<ConfigEntry> entries;
  std::string err;
  EXPECT_FALSE(ParseConfigText("/c.conf", text, &entries, &err)) << text;
  return err;
}

TEST(ParseConfigTextTest, KeysValuesAndLineNumbers) {
  std::vector<ConfigEntry> entries = MustParse(
      "# oci-interceptor.conf\n"
      "\n"
      "runtime-path = /usr/sbin/runc\n"
      "   \t\n"
      "  # indented comment\n"
      "\treadonly-networking-mounts=yes  \n"
      "env = HTTP_PROXY=http://p:3128/#frag\n"
      "env=A=\n"
      "on-error = passthrough");  // no final newline
  ASSERT_EQ(5u, entries.size());
  EXPECT_EQ(3, entries[0].line);
  EXPECT_EQ("runtime-path", entries[0].key);
  EXPECT_EQ("/usr/sbin/runc", entries[0].value);
  EXPECT_EQ(6, entries[1].line);
  EXPECT_EQ("readonly-networking-mounts", entries[1].key);
  EXPECT_EQ("yes", entries[1].value);
  EXPECT_EQ(7, entries[2].line);
  EXPECT_EQ("HTTP_PROXY=http://p:3128/#frag", entries[2].value);  // '#' inside a value is kept
  EXPECT_EQ(8, entries[3].line);
  EXPECT_EQ("A=", entries[3].value);
  EXPECT_EQ(9, entries[4].line);
  EXPECT_EQ("on-error", entries[4].key);
  EXPECT_EQ("passthrough", entries[4].value);
  // The unterminated last line is still read.
  entries = MustParse("a = 1\nb = 2");
  ASSERT_EQ(2u, entries.size());
  EXPECT_EQ("b", entries[1].key);
  EXPECT_EQ(2, entries[1].line);
}

TEST(ParseConfigTextTest, CrlfLineEnds) {
  std::vector<ConfigEntry> entries =
      MustParse("# windows\r\nruntime-path = /r\r\n\r\nenv = A=1\r\n");
  ASSERT_EQ(2u, entries.size());
  EXPECT_EQ("/r", entries[0].value);
  EXPECT_EQ(2, entries[0].line);
  EXPECT_EQ("A=1", entries[1].value);
  EXPECT_EQ(4, entries[1].line);
}

TEST(ParseConfigTextTest, EmptyTextHasNoEntries) {
  EXPECT_TRUE(MustParse("").empty());
  EXPECT_TRUE(MustParse("\n\n# only comments\n").empty());
}

TEST(ParseConfigTextTest, MalformedLinesNamePathAndLine) {
  EXPECT_EQ("/c.conf:2: expected 'key = value', got 'readonly-networking-mounts'",
            ParseError("# x\nreadonly-networking-mounts\n"));
  EXPECT_EQ("/c.conf:1: missing key before '='", ParseError(" = 1\n"));
  EXPECT_EQ("/c.conf:3: line holds a NUL byte",
            ParseError(std::string("a = 1\nb = 2\nc = x\0y\n", 20)));
  EXPECT_EQ("/c.conf:2: expected 'key = value', got 'novalue'",
            ParseError("a = 1\r\nnovalue\r\n"));
}

TEST(ApplyConfigEntriesTest, ErrorsNamePathAndLine) {
  struct Case {
    std::string text;
    std::string error;
  };
  const Case cases[] = {
      {"runtime-path = /r\nruntime_path = /x\n", "/c.conf:2: unknown key 'runtime_path'"},
      {"oi-env = A=1\n", "/c.conf:1: unknown key 'oi-env'"},
      {"\n\nreadonly-networking-mounts = maybe\n",
       "/c.conf:3: readonly-networking-mounts: 'maybe' is not a boolean"},
      {"env = NOVALUE\n", "/c.conf:1: env: 'NOVALUE' is not NAME=VALUE"},
      {"env-force = =x\n", "/c.conf:1: env-force: '=x' has an empty NAME"},
      {"runtime-path =\n", "/c.conf:1: runtime-path: empty value"},
      {"log-target = syslog\n", "/c.conf:1: log-target: 'syslog' is not one of"},
      {"on-error = warn\n", "/c.conf:1: on-error: 'warn' is not one of"},
  };
  for (const Case& c : cases) {
    Settings settings;
    std::string err;
    EXPECT_FALSE(ApplyConfigEntries("/c.conf", MustParse(c.text), &settings, &err)) << c.text;
    EXPECT_EQ(0u, err.find(c.error)) << err;
  }
}

TEST(ApplyConfigEntriesTest, OriginsArePathAndLine) {
  Settings settings;
  std::string err;
  ASSERT_TRUE(ApplyConfigEntries(
      "/c.conf", MustParse("# c\nruntime-path = /r\nenv = A=1\nenv = A=2\n"), &settings, &err))
      << err;
  EXPECT_EQ("/r", settings.runtime_path);
  ASSERT_EQ(1u, settings.env.size());  // the same NAME twice: the later line wins
  EXPECT_EQ("2", settings.env[0].value);
  EXPECT_EQ("/c.conf:4", settings.env[0].origin.Describe());
  EXPECT_TRUE(Contains(settings.Describe(), "runtime-path = /r  # /c.conf:2\n"));
}

class ConfigFileTest : public test::TempDirTest {
 protected:
  std::string Conf() const { return Path("oci-interceptor.conf"); }

  // LoadSettings with the file named by the environment variable.
  bool Load(const CommandLine& cli, bool refuse_unsafe, Settings* settings, std::string* err) {
    ConfigSource source;
    return LoadSettings(cli, Conf().c_str(), refuse_unsafe, settings, &source, err);
  }
};

TEST_F(ConfigFileTest, MissingFileIsFineUnlessItMustExist) {
  std::string text, err;
  bool found = true;
  EXPECT_TRUE(ReadConfigFile(Conf(), false, true, &text, &found, &err)) << err;
  EXPECT_FALSE(found);
  EXPECT_FALSE(ReadConfigFile(Conf(), true, true, &text, &found, &err));
  EXPECT_TRUE(Contains(err, Conf())) << err;
  EXPECT_TRUE(Contains(err, "No such file")) << err;
}

TEST_F(ConfigFileTest, ADanglingSymlinkIsNoMissingFile) {
  // A default file that points nowhere is a broken install, not "no policy".
  ASSERT_EQ(0, symlink(Path("nowhere.conf").c_str(), Conf().c_str()));
  std::string text, err;
  bool found = true;
  EXPECT_FALSE(ReadConfigFile(Conf(), false, true, &text, &found, &err));
  EXPECT_TRUE(Contains(err, Conf() + ": a symbolic link to a missing file")) << err;
}

TEST_F(ConfigFileTest, ReadsTheFile) {
  WriteFile(Conf(), "env = A=1\n", 0644);
  std::string text, err;
  bool found = false;
  ASSERT_TRUE(ReadConfigFile(Conf(), true, true, &text, &found, &err)) << err;
  EXPECT_TRUE(found);
  EXPECT_EQ("env = A=1\n", text);
}

TEST_F(ConfigFileTest, UnsafeModesAreRefusedOnlyWhenAsked) {
  for (int mode : {0664, 0646, 0666, 0620, 0602}) {
    WriteFile(Conf(), "env = A=1\n", static_cast<mode_t>(mode));
    std::string text, err;
    bool found = false;
    EXPECT_FALSE(ReadConfigFile(Conf(), true, true, &text, &found, &err)) << mode;
    EXPECT_TRUE(Contains(err, Conf())) << err;
    EXPECT_TRUE(Contains(err, "writable by group or others")) << err;
    text.clear();
    EXPECT_TRUE(ReadConfigFile(Conf(), true, false, &text, &found, &err)) << err;
    EXPECT_EQ("env = A=1\n", text);
  }
  for (int mode : {0644, 0600, 0640, 0400}) {
    WriteFile(Conf(), "env = A=1\n", static_cast<mode_t>(mode));
    std::string text, err;
    bool found = false;
    EXPECT_TRUE(ReadConfigFile(Conf(), true, true, &text, &found, &err)) << mode << ": " << err;
  }
}

TEST_F(ConfigFileTest, FileOwnedByAnotherUserIsRefusedWhenAsked) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to chown";
  WriteFile(Conf(), "env = A=1\n", 0644);
  ASSERT_EQ(0, chown(Conf().c_str(), 1234, 0));
  std::string text, err;
  bool found = false;
  EXPECT_FALSE(ReadConfigFile(Conf(), true, true, &text, &found, &err));
  EXPECT_TRUE(Contains(err, "owned by uid 1234")) << err;
}

TEST_F(ConfigFileTest, DirectoryIsRefused) {
  ASSERT_EQ(0, mkdir(Conf().c_str(), 0755));
  std::string text, err;
  bool found = false;
  EXPECT_FALSE(ReadConfigFile(Conf(), false, false, &text, &found, &err));
  EXPECT_TRUE(Contains(err, "not a regular file")) << err;
}

TEST_F(ConfigFileTest, PrecedenceDefaultsFileCommandLine) {
  WriteFile(Conf(),
            "runtime-path = /file/runc\n"
            "log-target = file\n"
            "env = A=file\n"
            "env = B=file\n"
            "readonly-networking-mounts = yes\n",
            0644);
  CommandLine cli;
  cli.settings = {{"runtime-path", "/cli/runc"}, {"env", "A=cli"},
                  {"readonly-networking-mounts", "no"}};
  Settings settings;
  ConfigSource source;
  std::string err;
  ASSERT_TRUE(LoadSettings(cli, Conf().c_str(), true, &settings, &source, &err)) << err;
  EXPECT_EQ(Conf(), source.path);
  EXPECT_TRUE(source.explicit_path);
  EXPECT_TRUE(source.found);
  EXPECT_EQ("/cli/runc", settings.runtime_path);
  EXPECT_EQ(LogTarget::kFile, settings.log_target);
  EXPECT_FALSE(settings.readonly_networking_mounts);
  std::string text = settings.Describe();
  EXPECT_TRUE(Contains(text, "runtime-path = /cli/runc  # command line\n")) << text;
  EXPECT_TRUE(Contains(text, "log-target = file  # " + Conf() + ":2\n")) << text;
  EXPECT_TRUE(Contains(text, "env = A=cli  # command line\n")) << text;
  EXPECT_TRUE(Contains(text, "env = B=file  # " + Conf() + ":4\n")) << text;
  EXPECT_TRUE(Contains(text, "readonly-networking-mounts = false  # command line\n")) << text;
  EXPECT_TRUE(Contains(text, "on-error = fail  # default\n")) << text;
}

TEST_F(ConfigFileTest, OiConfigBeatsTheEnvironment) {
  WriteFile(Path("chosen.conf"), "runtime-path = /chosen\n", 0644);
  CommandLine cli;
  cli.config_path = Path("chosen.conf");
  Settings settings;
  ConfigSource source;
  std::string err;
  // The environment names a missing file; --oi-config wins, so it is not read.
  ASSERT_TRUE(LoadSettings(cli, Path("missing.conf").c_str(), true, &settings, &source, &err))
      << err;
  EXPECT_EQ(Path("chosen.conf"), source.path);
  EXPECT_EQ("/chosen", settings.runtime_path);
}

TEST_F(ConfigFileTest, MissingExplicitFileIsAnError) {
  Settings settings;
  ConfigSource source;
  std::string err;
  EXPECT_FALSE(LoadSettings(CommandLine(), Conf().c_str(), true, &settings, &source, &err));
  EXPECT_TRUE(Contains(err, Conf())) << err;
  CommandLine cli;
  cli.config_path = Path("also-missing.conf");
  err.clear();
  EXPECT_FALSE(LoadSettings(cli, nullptr, true, &settings, &source, &err));
  EXPECT_TRUE(Contains(err, Path("also-missing.conf"))) << err;
}

TEST_F(ConfigFileTest, MissingDefaultFileMeansDefaults) {
  Settings settings;
  ConfigSource source;
  std::string err;
  for (const char* env_config : {static_cast<const char*>(nullptr), ""}) {
    ASSERT_TRUE(LoadSettings(CommandLine(), env_config, false, &settings, &source, &err) ||
                access(kDefaultConfigPath, F_OK) == 0)
        << err;
    EXPECT_EQ(kDefaultConfigPath, source.path);
    EXPECT_FALSE(source.explicit_path);
    if (access(kDefaultConfigPath, F_OK) != 0) {
      EXPECT_FALSE(source.found);
      EXPECT_EQ(Settings().Describe(), settings.Describe());
    }
  }
}

TEST_F(ConfigFileTest, WorldWritableFileIsRefusedWhenRunningAsRoot) {
  WriteFile(Conf(), "runtime-path = /evil\n", 0666);
  Settings settings;
  std::string err;
  EXPECT_FALSE(Load(CommandLine(), true, &settings, &err));
  EXPECT_TRUE(Contains(err, Conf())) << err;
  EXPECT_TRUE(Contains(err, "writable by group or others")) << err;
  EXPECT_EQ("runc", settings.runtime_path);
  EXPECT_TRUE(Load(CommandLine(), false, &settings, &err)) << err;
  EXPECT_EQ("/evil", settings.runtime_path);
}

TEST_F(ConfigFileTest, FileErrorsReachTheCallerWithPathAndLine) {
  WriteFile(Conf(), "# policy\nreadonly-networking-mount = yes\n", 0644);
  Settings settings;
  std::string err;
  EXPECT_FALSE(Load(CommandLine(), true, &settings, &err));
  EXPECT_EQ(Conf() + ":2: unknown key 'readonly-networking-mount'", err);

  WriteFile(Conf(), "env = A=1\r\nenv\r\n", 0644);
  EXPECT_FALSE(Load(CommandLine(), true, &settings, &err));
  EXPECT_EQ(0u, err.find(Conf() + ":2: expected 'key = value'")) << err;

  WriteFile(Conf(), std::string("env = A=1\nenv = B=\0\n", 20), 0644);
  EXPECT_FALSE(Load(CommandLine(), true, &settings, &err));
  EXPECT_EQ(Conf() + ":2: line holds a NUL byte", err);
}

TEST_F(ConfigFileTest, CommandLineErrorsNameTheOption) {
  WriteFile(Conf(), "", 0644);
  CommandLine cli;
  cli.settings = {{"env", "NOEQUALS"}};
  Settings settings;
  std::string err;
  EXPECT_FALSE(Load(cli, true, &settings, &err));
  EXPECT_EQ("--oi-env: 'NOEQUALS' is not NAME=VALUE", err);
  cli.settings = {{"readonly-networking-mounts", "maybe"}};
  EXPECT_FALSE(Load(cli, true, &settings, &err));
  EXPECT_EQ(0u, err.find("--oi-readonly-networking-mounts: 'maybe' is not a boolean")) << err;
}

}  // namespace
}  // namespace oci
