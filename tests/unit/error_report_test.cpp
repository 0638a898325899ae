#include "error_report.h"

#include <gtest/gtest.h>
#include <json/reader.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <regex>
#include <string>

#include "test_util.h"

namespace oci {
namespace {

using test::ReadFile;
using test::WriteFile;

const std::regex kRfc3339(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z)");

Json::Value ParseLine(const std::string& line) {
  Json::CharReaderBuilder builder;
  builder["strictRoot"] = true;
  builder["failIfExtra"] = true;
  std::unique_ptr<Json::CharReader> reader(builder.newCharReader());
  Json::Value value;
  std::string errors;
  EXPECT_TRUE(reader->parse(line.data(), line.data() + line.size(), &value, &errors))
      << errors << " in " << line;
  return value;
}

// The value of msg="..." in a logrus text line, unquoted as Go's strconv would.
std::string TextMsg(const std::string& line) {
  size_t start = line.find(" msg=");
  EXPECT_NE(std::string::npos, start) << line;
  std::string quoted = line.substr(start + 5);
  while (!quoted.empty() && quoted.back() == '\n') quoted.pop_back();
  return ParseLine("[" + quoted + "]")[0].asString();
}

TEST(ErrorReportTest, StderrLine) {
  EXPECT_EQ("oci-interceptor: error: cannot parse /b/config.json: x\n",
            StderrLine("cannot parse /b/config.json: x"));
}

TEST(ErrorReportTest, Rfc3339IsUtcWithNanoseconds) {
  EXPECT_EQ("1970-01-01T00:00:00.000000005Z", Rfc3339({0, 5}));
  EXPECT_EQ("2023-11-14T22:13:20.123456789Z", Rfc3339({1700000000, 123456789}));
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  EXPECT_TRUE(std::regex_match(Rfc3339(now), kRfc3339)) << Rfc3339(now);
}

TEST(ErrorReportTest, JsonLineIsWhatContainerdReads) {
  struct timespec now = {1700000000, 1};
  std::string line = JsonLogLine("cannot parse config.json: bad", now);
  ASSERT_EQ('\n', line.back());
  EXPECT_EQ(line.size() - 1, line.find('\n')) << "one line: " << line;
  Json::Value value = ParseLine(line);
  EXPECT_EQ("error", value["level"].asString());
  EXPECT_EQ("oci-interceptor: cannot parse config.json: bad", value["msg"].asString());
  EXPECT_EQ(Rfc3339(now), value["time"].asString());
  EXPECT_EQ(3u, value.size());
}

TEST(ErrorReportTest, JsonLineQuotesAnything) {
  const std::string messages[] = {
      "a \"quoted\" word",
      "two\nlines\r\n",
      "back\\slash and tab\t",
      "control \x01\x1f",
      "unicode caf\xc3\xa9 \xf0\x9f\x90\xb3",
      "{\"level\":\"info\"} injected",
  };
  for (const std::string& message : messages) {
    std::string line = JsonLogLine(message, {0, 0});
    EXPECT_EQ(line.size() - 1, line.find('\n')) << "one line: " << line;
    EXPECT_EQ("oci-interceptor: " + message, ParseLine(line)["msg"].asString());
    EXPECT_EQ("error", ParseLine(line)["level"].asString());
  }
}

TEST(ErrorReportTest, TextLineIsLogrusShaped) {
  struct timespec now = {1700000000, 5};
  std::string line = TextLogLine("runtime /x not found", now);
  EXPECT_EQ("time=\"2023-11-14T22:13:20.000000005Z\" level=error "
            "msg=\"oci-interceptor: runtime /x not found\"\n",
            line);
  for (const std::string& message :
       {std::string("say \"hi\""), std::string("a\nb"), std::string("c:\\d")}) {
    std::string quoted = TextLogLine(message, now);
    EXPECT_EQ(quoted.size() - 1, quoted.find('\n')) << "one line: " << quoted;
    EXPECT_EQ("oci-interceptor: " + message, TextMsg(quoted));
  }
}

class ReportErrorTest : public test::TempDirTest {
 protected:
  // Runs ReportError and returns what it printed on stderr.
  std::string Report(const std::string& message, const std::string& log_path,
                     const std::string& format) {
    testing::internal::CaptureStderr();
    ReportError(message, log_path, format);
    return testing::internal::GetCapturedStderr();
  }
};

TEST_F(ReportErrorTest, JsonLogGetsOneLineAppended) {
  std::string log = Path("log.json");
  WriteFile(log, "{\"level\":\"info\",\"msg\":\"earlier\"}\n");
  EXPECT_EQ("oci-interceptor: error: boom\n", Report("boom", log, "json"));
  std::string content = ReadFile(log);
  std::string first = "{\"level\":\"info\",\"msg\":\"earlier\"}\n";
  ASSERT_EQ(0u, content.find(first)) << content;
  std::string added = content.substr(first.size());
  Json::Value value = ParseLine(added);
  EXPECT_EQ("oci-interceptor: boom", value["msg"].asString());
  EXPECT_EQ("error", value["level"].asString());
  EXPECT_TRUE(std::regex_match(value["time"].asString(), kRfc3339)) << added;
}

TEST_F(ReportErrorTest, TextLogWhenFormatIsNotJson) {
  std::string log = Path("log");
  for (const char* format : {"text", ""}) {
    Report("boom", log, format);
  }
  const std::string line = R"(time="[^"]+" level=error msg="oci-interceptor: boom"\n)";
  EXPECT_TRUE(std::regex_match(ReadFile(log), std::regex("(" + line + "){2}"))) << ReadFile(log);
}

TEST_F(ReportErrorTest, NoLogPathWritesOnlyStderr) {
  EXPECT_EQ("oci-interceptor: error: boom\n", Report("boom", "", "json"));
  EXPECT_TRUE(test::ListDir(dir_).empty());
}

TEST_F(ReportErrorTest, CrunLogTargets) {
  // crun: "file:PATH" is PATH; journald: and syslog: are no file at all.
  std::string log = Path("crun.log");
  Report("boom", "file:" + log, "json");
  EXPECT_EQ("oci-interceptor: boom", ParseLine(ReadFile(log))["msg"].asString());
  std::string cwd = Path("cwd");
  ASSERT_EQ(0, mkdir(cwd.c_str(), 0755));
  ASSERT_EQ(0, chdir(cwd.c_str()));
  for (const char* target : {"journald:crun", "syslog:crun"}) {
    EXPECT_EQ("oci-interceptor: error: boom\n", Report("boom", target, "json")) << target;
  }
  EXPECT_TRUE(test::ListDir(cwd).empty());
  ASSERT_EQ(0, chdir("/"));
  EXPECT_EQ("/x.log", LogFileOf("file:/x.log"));
  EXPECT_EQ("/plain/log.json", LogFileOf("/plain/log.json"));
}

TEST_F(ReportErrorTest, UnwritableLogStillReachesStderr) {
  EXPECT_EQ("oci-interceptor: error: boom\n", Report("boom", Path("missing/log.json"), "json"));
  EXPECT_TRUE(test::ListDir(dir_).empty());
}

}  // namespace
}  // namespace oci
