// --oi-explain: the JSON diff, the per-rule report, and that nothing is written.
#include "explain.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "spec.h"
#include "test_util.h"

namespace oci {
namespace {

Json::Value Parse(const std::string& text) {
  Json::Value value;
  std::string err;
  EXPECT_TRUE(ParseSpec("{\"v\":" + text + "}", &value, &err)) << text << ": " << err;
  return value["v"];
}

struct DiffCase {
  const char* name;
  const char* before;
  const char* after;
  std::vector<std::string> lines;
};

const DiffCase kDiffCases[] = {
    {"equal", R"({"a":[1,{"b":2}]})", R"({"a":[1,{"b":2}]})", {}},
    {"scalar", R"({"a":{"b":false}})", R"({"a":{"b":true}})", {"- a.b: false", "+ a.b: true"}},
    {"added and removed keys", R"({"a":1,"c":3})", R"({"b":{"x":[]},"c":3})",
     {"- a: 1", "+ b: {\"x\":[]}"}},
    {"short scalar array whole", R"({"mounts":[{"options":["rbind","rw"]}]})",
     R"({"mounts":[{"options":["rbind","ro"]}]})",
     {"- mounts[0].options: [\"rbind\",\"rw\"]", "+ mounts[0].options: [\"rbind\",\"ro\"]"}},
    {"long array by element",
     R"({"env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","TERM=xterm","A=1"]})",
     R"({"env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","A=1","B=2"]})",
     {"- env[1]: \"TERM=xterm\"", "+ env[2]: \"B=2\""}},
    {"appended object", R"({"m":[{"d":"/proc"}]})", R"({"m":[{"d":"/proc"},{"d":"/x"}]})",
     {"+ m[1]: {\"d\":\"/x\"}"}},
    {"changed object in place", R"({"m":[{"d":"/a","o":1},{"d":"/b"},{"d":"/c"}]})",
     R"({"m":[{"d":"/a","o":1},{"d":"/b","o":["ro"]},{"d":"/c"}]})", {"+ m[1].o: [\"ro\"]"}},
    {"odd keys are quoted", R"({"annotations":{"com.example/x":"1"}})",
     R"({"annotations":{"com.example/x":"2"}})",
     {"- annotations[\"com.example/x\"]: \"1\"", "+ annotations[\"com.example/x\"]: \"2\""}},
    {"type change", R"({"a":[1]})", R"({"a":{"b":1}})", {"- a: [1]", "+ a: {\"b\":1}"}},
    {"unicode and big integers kept", R"({"h":18446744073709551615})",
     R"({"h":18446744073709551615,"u":"é"})", {"+ u: \"é\""}},
};

TEST(DiffJsonTest, Table) {
  for (const DiffCase& c : kDiffCases) {
    EXPECT_EQ(c.lines, DiffJson(Parse(c.before), Parse(c.after))) << c.name;
  }
}

TEST(DiffJsonTest, LargeArraysStayLinear) {
  Json::Value before(Json::arrayValue);
  for (int i = 0; i < 5000; ++i) before.append("E" + std::to_string(i) + "=" + std::string(40, 'x'));
  Json::Value after = before;
  after.append("NEW=1");
  EXPECT_EQ((std::vector<std::string>{"+ [5000]: \"NEW=1\""}), DiffJson(before, after));
}

Settings Make(const std::vector<std::pair<std::string, std::string>>& items) {
  Settings s;
  std::string err;
  for (const auto& [key, value] : items) {
    EXPECT_TRUE(s.SetItem(key, value, Origin::CommandLine(), &err)) << err;
  }
  return s;
}

TEST(ExplainSpecTest, NoRules) {
  std::string report, err;
  ASSERT_TRUE(ExplainSpec(Settings(), Parse("{}"), &report, &err));
  EXPECT_EQ("# no rule is enabled: nothing would change\n", report);
}

TEST(ExplainSpecTest, ReportsEachRuleStep) {
  Settings s = Make({{"mask-path", "/proc/kcore"},
                     {"mask-path", "/proc/oi"},
                     {"pids-limit", "10"},
                     {"readonly-mount", "/data"},
                     {"exec-env", "true"}});
  Json::Value spec = Parse(
      R"({"mounts":[{"destination":"/data","options":["rbind","rw"]}],)"
      R"("linux":{"maskedPaths":["/proc/kcore"]}})");
  Json::Value copy = spec;
  std::string report, err;
  ASSERT_TRUE(ExplainSpec(s, spec, &report, &err)) << err;
  EXPECT_EQ(copy, spec);
  EXPECT_EQ(
      "readonly-mount /data => readonly:/data\n"
      "- mounts[0].options: [\"rbind\",\"rw\"]\n"
      "+ mounts[0].options: [\"rbind\",\"ro\"]\n"
      "mask-path /proc/kcore => no change\n"
      "mask-path /proc/oi => mask:/proc/oi\n"
      "- linux.maskedPaths: [\"/proc/kcore\"]\n"
      "+ linux.maskedPaths: [\"/proc/kcore\",\"/proc/oi\"]\n"
      "pids-limit 10 => pids-limit\n"
      "+ linux.resources: {\"pids\":{\"limit\":10}}\n"
      "# 3 of 4 rule steps would change config.json: readonly:/data mask:/proc/oi pids-limit\n"
      "# exec-env: the env rules also apply to `exec --process` files\n",
      report);
}

TEST(ExplainSpecTest, ErrorNamesTheStepAndThePath) {
  Settings s = Make({{"drop-capability", "kill"}});
  std::string report, err;
  EXPECT_FALSE(ExplainSpec(s, Parse(R"({"process":{"capabilities":{"bounding":"x"}}})"), &report,
                           &err));
  EXPECT_EQ("drop-capability CAP_KILL: process.capabilities.bounding is not an array", err);
}

class ExplainBundleTest : public test::TempDirTest {};

TEST_F(ExplainBundleTest, ReadsConfigJsonAndWritesNothing) {
  const std::string text = R"({"process":{"env":["A=1"],"noNewPrivileges":false}})";
  test::WriteFile(Path("config.json"), text, 0600);
  auto before = test::Snapshot(dir_);
  std::string report, err;
  ASSERT_TRUE(ExplainBundle(Make({{"no-new-privileges", "1"}, {"env-force", "A=2"}}), dir_,
                            &report, &err))
      << err;
  EXPECT_EQ(before, test::Snapshot(dir_));
  EXPECT_NE(std::string::npos, report.find("# " + dir_ + "/config.json: what the rules"));
  EXPECT_NE(std::string::npos, report.find("no-new-privileges => no-new-privileges\n"
                                           "- process.noNewPrivileges: false\n"
                                           "+ process.noNewPrivileges: true\n"));
  EXPECT_NE(std::string::npos, report.find("env-force A => env-force:A\n"
                                           "- process.env: [\"A=1\"]\n"
                                           "+ process.env: [\"A=2\"]\n"));
}

TEST_F(ExplainBundleTest, MissingOrBrokenConfigIsAnError) {
  std::string report, err;
  EXPECT_FALSE(ExplainBundle(Settings(), Path("nowhere"), &report, &err));
  EXPECT_NE(std::string::npos, err.find("nowhere/config.json")) << err;
  test::WriteFile(Path("config.json"), "{");
  EXPECT_FALSE(ExplainBundle(Settings(), dir_, &report, &err));
  EXPECT_NE(std::string::npos, err.find("cannot parse")) << err;
}

}  // namespace
}  // namespace oci
