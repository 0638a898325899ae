#include "spec.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "test_util.h"

namespace oci {
namespace {

using test::TempDirTest;
using test::WriteFile;

// Every kind of value a rule must never disturb.
const char kPreservedConfig[] = R"({
  "ociVersion": "1.0.2-dev",
  "hostname": "h\u00e9llo-\u65e5\u672c-\ud83d\udc33",
  "x-vendor": {"nested": [1, -2, 3.5, true, false, null, "", {}], "": "empty key"},
  "process": {
    "rlimits": [
      {"type": "RLIMIT_NOFILE", "hard": 18446744073709551615, "soft": 9223372036854775807},
      {"type": "RLIMIT_X", "hard": -9223372036854775808, "soft": 0}
    ],
    "env": ["Q=\"quoted\" back\\slash tab\t nl\n", "U=caf\u00e9 \u2603"]
  },
  "linux": {
    "seccomp": {
      "defaultAction": "SCMP_ACT_ERRNO",
      "defaultErrnoRet": 1,
      "syscalls": [
        {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
         "args": [{"index": 0, "value": 18446744073709551615, "valueTwo": 0, "op": "SCMP_CMP_EQ"},
                  {"index": 1, "value": -9223372036854775808, "op": "SCMP_CMP_NE"},
                  {"index": 2, "value": 4294967295, "valueTwo": 4294967296, "op": "SCMP_CMP_MASKED_EQ"}]},
        {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}
      ]
    }
  }
})";

Json::Value MustParse(const std::string& text) {
  Json::Value spec;
  std::string err;
  EXPECT_TRUE(ParseSpec(text, &spec, &err)) << err;
  return spec;
}

TEST(SpecTest, SixtyFourBitIntegersAreExact) {
  Json::Value spec = MustParse(SerializeSpec(MustParse(kPreservedConfig)));
  const Json::Value& args = spec["linux"]["seccomp"]["syscalls"][0]["args"];
  ASSERT_TRUE(args[0]["value"].isUInt64());
  EXPECT_EQ(18446744073709551615ULL, args[0]["value"].asUInt64());
  ASSERT_TRUE(args[1]["value"].isInt64());
  EXPECT_EQ(INT64_MIN, args[1]["value"].asInt64());
  EXPECT_EQ(4294967295ULL, args[2]["value"].asUInt64());
  EXPECT_EQ(4294967296ULL, args[2]["valueTwo"].asUInt64());
  const Json::Value& rlimits = spec["process"]["rlimits"];
  EXPECT_EQ(18446744073709551615ULL, rlimits[0]["hard"].asUInt64());
  EXPECT_EQ(9223372036854775807LL, rlimits[0]["soft"].asInt64());
  EXPECT_EQ(INT64_MIN, rlimits[1]["hard"].asInt64());
  EXPECT_EQ(38, spec["linux"]["seccomp"]["syscalls"][1]["errnoRet"].asInt());
  EXPECT_EQ(1, spec["linux"]["seccomp"]["defaultErrnoRet"].asInt());
}

TEST(SpecTest, SerializedTextHoldsTheIntegersVerbatim) {
  std::string text = SerializeSpec(MustParse(kPreservedConfig));
  for (const char* number : {"18446744073709551615", "-9223372036854775808",
                             "9223372036854775807", "4294967296", "\"errnoRet\":38"}) {
    EXPECT_NE(std::string::npos, text.find(number)) << number << " in " << text;
  }
  EXPECT_EQ(std::string::npos, text.find("e+")) << "an integer became a float: " << text;
}

TEST(SpecTest, RoundTripPreservesEverything) {
  Json::Value original = MustParse(kPreservedConfig);
  std::string once = SerializeSpec(original);
  EXPECT_EQ(original, MustParse(once));
  EXPECT_EQ(once, SerializeSpec(MustParse(once)));  // serialisation is stable
  EXPECT_EQ(original, MustParse(SerializeSpecIndented(original)));
  EXPECT_EQ("empty key", original["x-vendor"][""].asString());
}

TEST(SpecTest, UnicodeIsWrittenAsUtf8) {
  Json::Value spec = MustParse(kPreservedConfig);
  EXPECT_EQ("h\xc3\xa9llo-\xe6\x97\xa5\xe6\x9c\xac-\xf0\x9f\x90\xb3", spec["hostname"].asString());
  std::string text = SerializeSpec(spec);
  EXPECT_NE(std::string::npos, text.find("h\xc3\xa9llo-\xe6\x97\xa5\xe6\x9c\xac-\xf0\x9f\x90\xb3"))
      << text;
  EXPECT_NE(std::string::npos, text.find("caf\xc3\xa9 \xe2\x98\x83")) << text;
}

TEST(SpecTest, RawUtf8AndEscapesSurvive) {
  std::string raw = "{\"a\":\"\xc3\xa9\xf0\x9f\x90\xb3\",\"b\":\"\\u0001\\\"\\\\\\/\"}";
  Json::Value spec = MustParse(raw);
  Json::Value again = MustParse(SerializeSpec(spec));
  EXPECT_EQ("\xc3\xa9\xf0\x9f\x90\xb3", again["a"].asString());
  EXPECT_EQ(std::string("\x01\"\\/"), again["b"].asString());
}

TEST(SpecTest, EmbeddedNulInAStringSurvives) {
  Json::Value spec = MustParse(R"({"a":"x\u0000y"})");
  EXPECT_EQ(std::string("x\0y", 3), MustParse(SerializeSpec(spec))["a"].asString());
}

TEST(SpecTest, FloatsRoundTrip) {
  Json::Value spec = MustParse(R"({"a":0.1,"b":1e300,"c":-2.5e-10})");
  Json::Value again = MustParse(SerializeSpec(spec));
  EXPECT_EQ(spec["a"].asDouble(), again["a"].asDouble());
  EXPECT_EQ(spec["b"].asDouble(), again["b"].asDouble());
  EXPECT_EQ(spec["c"].asDouble(), again["c"].asDouble());
}

TEST(SpecTest, SerializeSpecIsOneLine) {
  std::string text = SerializeSpec(MustParse(kPreservedConfig));
  // The only newline allowed is the escaped one inside a string.
  EXPECT_EQ(std::string::npos, text.find('\n'));
  EXPECT_NE(std::string::npos, SerializeSpecIndented(MustParse(kPreservedConfig)).find('\n'));
}

TEST(SpecTest, BadDocumentsAreRejectedWithAMessage) {
  std::string deep = "{\"a\":";
  for (int i = 0; i < 10000; ++i) deep += "[";
  for (int i = 0; i < 10000; ++i) deep += "]";
  deep += "}";
  struct Case {
    std::string text;
    const char* message_part;
  };
  const Case cases[] = {
      {"", "invalid JSON"},
      {"   \n", "invalid JSON"},
      {"{", "invalid JSON"},
      {R"({"ociVersion":"1.0.2","process":{"env":["A=1")", "invalid JSON"},  // truncated
      {R"({"a":1} x)", "invalid JSON"},
      {R"({"a":1}{"b":2})", "invalid JSON"},
      {R"({"a":1}])", "invalid JSON"},
      {R"({"a":1,})", "invalid JSON"},
      {R"({"a":[1,]})", "invalid JSON"},
      {R"({/* comment */"a":1})", "invalid JSON"},
      {R"({"a":[1 /* c */, 2]})", "invalid JSON"},
      {R"({"a":"x"} // trailing comment)", "invalid JSON"},
      {R"({"a":"\""/* after an escaped quote */})", "invalid JSON"},
      {R"({'a':1})", "invalid JSON"},
      {R"({"a":NaN})", "invalid JSON"},
      {R"({"a":Infinity})", "invalid JSON"},
      {R"({1:2})", "invalid JSON"},
      {"\xef\xbb\xbf{}", "invalid JSON"},  // a BOM: runc's Go decoder rejects it too
      {deep, "invalid JSON"},
      // jsoncpp reads these (as 0, 1, 1, 1.0, or up to the NUL); runc refuses them.
      {R"({"a":-})", "Line 1, Column 6: '-' is not a JSON number"},
      {R"({"a":+1})", "'+1' is not a JSON number"},
      {R"({"a":01})", "'01' is not a JSON number"},
      {R"({"a":1.})", "'1.' is not a JSON number"},
      {R"({"a":[1,-.5]})", "'-.5' is not a JSON number"},
      {std::string("{\"a\":1}\0garbage", 15), "Line 1, Column 8: a NUL byte"},
      {"{\"a\":\"tab\there\"}", "Line 1, Column 10: a raw control character"},
      {"{\"a\":\"line\nbreak\"}", "raw control character in a string"},
      // jsoncpp would keep only the last "process": args and env lost.
      {R"({"process":{"args":["sh"]},"process":{"cwd":"/"}})", "Duplicate key: 'process'"},
      {"[]", "not a JSON object"},
      {"[{\"a\":1}]", "not a JSON object"},
      {"null", ""},
      {"1", ""},
      {"\"x\"", ""},
      {"true", ""},
  };
  for (const Case& c : cases) {
    Json::Value spec;
    std::string err;
    EXPECT_FALSE(ParseSpec(c.text, &spec, &err)) << c.text.substr(0, 60);
    EXPECT_FALSE(err.empty()) << c.text.substr(0, 60);
    EXPECT_NE(std::string::npos, err.find(c.message_part)) << err;
    EXPECT_EQ(std::string::npos, err.find('\n')) << "one-line message: " << err;
  }
}

TEST(SpecTest, EveryJsonNumberFormIsAccepted) {
  Json::Value spec = MustParse(
      R"({"a":[0,-0,1,-1,10,0.5,-0.5,1e5,1E5,1e+5,1e-5,-1.25E-3,18446744073709551615]})");
  EXPECT_EQ(13u, spec["a"].size());
  EXPECT_EQ(18446744073709551615ull, spec["a"][12].asUInt64());
}

TEST(SpecTest, SlashesInsideStringsAreFine) {
  Json::Value spec = MustParse(R"({"a":"/etc/hosts","b":"\"//*","c\\":"\\/x/"})");
  EXPECT_EQ("/etc/hosts", spec["a"].asString());
  EXPECT_EQ("\"//*", spec["b"].asString());
  EXPECT_EQ("\\/x/", spec["c\\"].asString());
}

TEST(SpecTest, ModerateNestingIsAccepted) {
  std::string nested = "{\"a\":";
  for (int i = 0; i < 50; ++i) nested += "[";
  for (int i = 0; i < 50; ++i) nested += "]";
  nested += "}";
  Json::Value spec;
  std::string err;
  EXPECT_TRUE(ParseSpec(nested, &spec, &err)) << err;
}

class ReadSpecFileTest : public TempDirTest {};

TEST_F(ReadSpecFileTest, ReadsARegularFile) {
  WriteFile(Path("config.json"), kPreservedConfig);
  std::string text, err;
  ASSERT_TRUE(ReadSpecFile(Path("config.json"), &text, &err)) << err;
  EXPECT_EQ(kPreservedConfig, text);
}

TEST_F(ReadSpecFileTest, RefusesASymlink) {
  WriteFile(Path("real.json"), "{}");
  ASSERT_EQ(0, symlink(Path("real.json").c_str(), Path("config.json").c_str()));
  std::string text, err;
  EXPECT_FALSE(ReadSpecFile(Path("config.json"), &text, &err));
  EXPECT_NE(std::string::npos, err.find("symlink")) << err;
  EXPECT_NE(std::string::npos, err.find(Path("config.json"))) << err;
  EXPECT_EQ("", text);
}

TEST_F(ReadSpecFileTest, RefusesADirectory) {
  ASSERT_EQ(0, mkdir(Path("config.json").c_str(), 0755));
  std::string text, err;
  EXPECT_FALSE(ReadSpecFile(Path("config.json"), &text, &err));
  EXPECT_NE(std::string::npos, err.find("not a regular file")) << err;
  EXPECT_NE(std::string::npos, err.find(Path("config.json"))) << err;
}

TEST_F(ReadSpecFileTest, RefusesAFifoWithoutBlocking) {
  ASSERT_EQ(0, mkfifo(Path("config.json").c_str(), 0644));
  std::string text, err;
  EXPECT_FALSE(ReadSpecFile(Path("config.json"), &text, &err));
  EXPECT_NE(std::string::npos, err.find("not a regular file")) << err;
}

TEST_F(ReadSpecFileTest, MissingFileNamesThePath) {
  std::string text, err;
  EXPECT_FALSE(ReadSpecFile(Path("nope/config.json"), &text, &err));
  EXPECT_NE(std::string::npos, err.find(Path("nope/config.json"))) << err;
  EXPECT_NE(std::string::npos, err.find("No such file")) << err;
}

}  // namespace
}  // namespace oci
