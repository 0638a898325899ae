#include "spec_splice.h"

#include <gtest/gtest.h>
#include <json/reader.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "rules.h"
#include "settings.h"
#include "spec.h"

namespace oci {
namespace {

// Docker's shape: its own key order, two-space indentation, a final newline.
const char kIndentedConfig[] = R"({
  "ociVersion": "1.0.2-dev",
  "process": {
    "user": {"uid": 0, "gid": 0},
    "args": ["sh", "-c", "echo hi"],
    "env": ["PATH=/usr/bin:/bin", "HOME=/root"],
    "cwd": "/"
  },
  "root": {"path": "rootfs", "readonly": false},
  "hostname": "box",
  "mounts": [
    {"destination": "/proc", "type": "proc", "source": "proc"},
    {"destination": "/etc/hosts", "type": "bind", "source": "/var/lib/hosts", "options": ["rbind", "rprivate"]}
  ],
  "linux": {
    "seccomp": {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1,
      "syscalls": [{"names": ["personality"], "action": "SCMP_ACT_ALLOW",
                    "args": [{"index": 0, "value": 18446744073709551615, "op": "SCMP_CMP_EQ"},
                             {"index": 1, "value": -9223372036854775808, "valueTwo": 2.5e-3, "op": "SCMP_CMP_NE"}]}]},
    "maskedPaths": ["/proc/kcore"],
    "x-flags": [true, false, null, 0, -0, 1.0]
  }
}
)";

Json::Value MustParse(const std::string& text) {
  Json::Value spec;
  std::string err;
  EXPECT_TRUE(ParseSpec(text, &spec, &err)) << err << "\n" << text;
  return spec;
}

// jsoncpp's own reader, for texts ParseSpec refuses (duplicate keys, "000"):
// the splice writer must stay exact on whatever tree it is given.
Json::Value LenientParse(const std::string& text) {
  Json::CharReaderBuilder builder;
  builder["collectComments"] = false;
  std::unique_ptr<Json::CharReader> reader(builder.newCharReader());
  Json::Value spec;
  std::string err;
  EXPECT_TRUE(reader->parse(text.data(), text.data() + text.size(), &spec, &err)) << err;
  return spec;
}

// The spliced text parses back to exactly the edited spec.
void ExpectRoundTrip(const std::string& source, const Json::Value& spec) {
  std::string spliced = SpliceSpec(source, spec);
  EXPECT_EQ(SerializeSpec(spec), SerializeSpec(MustParse(spliced))) << spliced;
}

std::string Slice(const std::string& text, const Json::Value& value) {
  return text.substr(value.getOffsetStart(), value.getOffsetLimit() - value.getOffsetStart());
}

TEST(SpecSpliceTest, AnUneditedSpecIsItsSourceByteForByte) {
  Json::Value spec = MustParse(kIndentedConfig);
  EXPECT_EQ(kIndentedConfig, SpliceSpec(kIndentedConfig, spec));
}

TEST(SpecSpliceTest, AnEditRewritesItsPathAndCopiesTheRest) {
  std::string source = kIndentedConfig;
  Json::Value spec = MustParse(source);
  const std::string seccomp = Slice(source, spec["linux"]["seccomp"]);
  const std::string user = Slice(source, spec["process"]["user"]);
  spec["process"]["env"].append("HTTP_PROXY=http://proxy:3128");

  std::string spliced = SpliceSpec(source, spec);
  ExpectRoundTrip(source, spec);
  EXPECT_NE(std::string::npos, spliced.find(seccomp)) << spliced;  // spacing kept
  EXPECT_NE(std::string::npos, spliced.find(user)) << spliced;
  EXPECT_NE(std::string::npos, spliced.find(R"("HOME=/root","HTTP_PROXY=http://proxy:3128"])"));
  // Docker's key order, not jsoncpp's sorted one.
  EXPECT_LT(spliced.find("\"ociVersion\""), spliced.find("\"process\""));
  EXPECT_LT(spliced.find("\"process\""), spliced.find("\"hostname\""));
  EXPECT_LT(spliced.find("\"user\""), spliced.find("\"args\""));
  EXPECT_EQ('\n', spliced.back());
}

TEST(SpecSpliceTest, ReadonlyNetworkingMountsKeepTheOtherMounts) {
  std::string source = kIndentedConfig;
  Json::Value spec = MustParse(source);
  const std::string proc = Slice(source, spec["mounts"][0]);
  Settings settings;
  std::string err;
  ASSERT_TRUE(settings.SetItem("readonly-networking-mounts", "true", Origin::Default(), &err));
  Changes changes;
  ASSERT_TRUE(ApplyRules(settings, &spec, &changes, &err)) << err;
  ASSERT_FALSE(changes.empty());

  std::string spliced = SpliceSpec(source, spec);
  ExpectRoundTrip(source, spec);
  EXPECT_NE(std::string::npos, spliced.find(proc));
  EXPECT_NE(std::string::npos, spliced.find(R"("options":["rbind","rprivate","ro"])")) << spliced;
}

TEST(SpecSpliceTest, RemovedItemsAndMembersDoNotComeBack) {
  std::string source = kIndentedConfig;
  Json::Value spec = MustParse(source);
  spec["process"]["args"].removeIndex(1, nullptr);
  spec["root"].removeMember("readonly");
  spec["mounts"].removeIndex(0, nullptr);
  std::string spliced = SpliceSpec(source, spec);
  ExpectRoundTrip(source, spec);
  EXPECT_EQ(std::string::npos, spliced.find("\"-c\""));
  EXPECT_EQ(std::string::npos, spliced.find("readonly"));
  EXPECT_EQ(std::string::npos, spliced.find("/proc\""));
}

TEST(SpecSpliceTest, ReplacingAValueKeepsNoneOfItsOldText) {
  std::string source = kIndentedConfig;
  Json::Value spec = MustParse(source);
  spec["hostname"] = "other";
  spec["linux"]["x-flags"][0] = false;
  spec["linux"]["x-flags"][3] = Json::UInt64(18446744073709551615ULL);
  spec["linux"]["x-flags"][5] = 0.1;
  spec["root"] = Json::Value(Json::objectValue);
  ExpectRoundTrip(source, spec);
  EXPECT_EQ(std::string::npos, SpliceSpec(source, spec).find("rootfs"));
}

TEST(SpecSpliceTest, ValuesMovedOrTakenFromAnotherTextAreWrittenAnew) {
  std::string source = kIndentedConfig;
  Json::Value spec = MustParse(source);
  // A copy keeps the offsets of where it came from.
  spec["linux"]["maskedPaths"] = spec["process"]["args"];
  spec["mounts"][0] = spec["mounts"][1];
  // Offsets into a different text must not be read from this one.
  Json::Value foreign = MustParse(R"({"long-key-here": ["not", "from", "this", "text", 12345]})");
  spec["process"]["env"] = foreign["long-key-here"];
  spec["hostname"] = foreign;
  ExpectRoundTrip(source, spec);
}

TEST(SpecSpliceTest, EscapesDuplicateKeysAndUnicodeStayExact) {
  const std::string source =
      "{\"a\\u0041\": \"\\u00e9\\n\", \"dup\": 1, \"dup\": 2, \"caf\xc3\xa9\": [\"\\\"q\\\"\", \"\xe2\x98\x83\"],"
      " \"n\": 1e2, \"edit\": []}";
  Json::Value spec = LenientParse(source);
  spec["edit"].append("new \x01 \xf0\x9f\x90\xb3");
  spec["new key \"quoted\""] = "tab\there";
  std::string spliced = SpliceSpec(source, spec);
  ExpectRoundTrip(source, spec);
  EXPECT_EQ(std::string::npos, spliced.find("\"dup\":1")) << spliced;  // the last one wins
  EXPECT_NE(std::string::npos, spliced.find("\"n\":1e2")) << spliced;
}

TEST(SpecSpliceTest, EscapedStringsAndKeysKeepTheirEscapes) {
  // Go's encoder (Docker, containerd) writes <, > and & as \u003c, \u003e, \u0026.
  const std::string source =
      R"({"process": {"args": ["sh", "-c", "a \u0026\u0026 b \u003e /dev/null"],)"
      R"( "env": ["X=\"q\"\t\/"]}, "k\u00e9y": {"n": 1}, "edit": []})";
  Json::Value spec = MustParse(source);
  spec["edit"].append(1);
  std::string spliced = SpliceSpec(source, spec);
  ExpectRoundTrip(source, spec);
  EXPECT_NE(std::string::npos, spliced.find(Slice(source, spec["process"]))) << spliced;
  // The root changed and is written anew, but its keys keep their text.
  EXPECT_NE(std::string::npos, spliced.find(R"("k\u00e9y":{"n": 1})")) << spliced;
  // Unedited, an escaped key stays as it was too.
  Json::Value unedited = MustParse(source);
  EXPECT_EQ(source, SpliceSpec(source, unedited));
}

// A number is copied only as text jsoncpp reads back with the same type and
// value: a double carrying the offsets of integer text (or of text that is
// not a JSON number at all) is written anew.
TEST(SpecSpliceTest, NumbersKeepTheirType) {
  const std::string source = R"({"a":100,"b":1.50,"z":000,"big":99999999999999999999})";
  Json::Value spec = LenientParse(source);
  Json::Value donor = MustParse(R"({"a":1e2})");
  spec["a"] = donor["a"];  // 100.0 with offsets over "100"
  Json::Value other = MustParse(R"({"bb":0.5})");
  spec["x"] = other["bb"];  // 0.5 with offsets over ".50"
  ExpectRoundTrip(source, spec);
  std::string spliced = SpliceSpec(source, spec);
  EXPECT_TRUE(MustParse(spliced)["a"].isDouble()) << spliced;
  EXPECT_NE(std::string::npos, spliced.find("\"big\":99999999999999999999")) << spliced;
}

TEST(SpecSpliceTest, NewMembersFollowTheOriginalOnes) {
  const std::string source = R"({"z": 1, "a": 2})";
  Json::Value spec = MustParse(source);
  spec["m"] = 3;
  EXPECT_EQ(R"({"z":1,"a":2,"m":3})", SpliceSpec(source, spec));
}

TEST(SpecSpliceTest, ASpecWithoutSourceIsSerialisedCompactly) {
  Json::Value spec = MustParse(kIndentedConfig);
  Json::Value fresh(Json::objectValue);
  fresh["b"] = "\xc3\xa9";
  fresh["a"].append(1.5);
  EXPECT_EQ(SerializeSpec(fresh), SpliceSpec("", fresh));
}

// Random edits of every kind, many rounds: the spliced text always parses
// back to the edited spec.
TEST(SpecSpliceTest, RandomEditsAlwaysRoundTrip) {
  std::mt19937 random(20261203);
  for (int round = 0; round < 400; ++round) {
    std::string source = kIndentedConfig;
    Json::Value spec = MustParse(source);
    Json::Value donor = MustParse(source);
    int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits; ++e) {
      // Every container of the spec as it is now, to pick an edit from.
      std::vector<Json::Value*> containers;
      std::vector<Json::Value*> todo{&spec};
      while (!todo.empty()) {
        Json::Value* value = todo.back();
        todo.pop_back();
        containers.push_back(value);
        for (auto it = value->begin(); it != value->end(); ++it) {
          if (it->isArray() || it->isObject()) todo.push_back(&*it);
        }
      }
      Json::Value* target = containers[random() % containers.size()];
      auto pick = [&random](size_t n) { return static_cast<Json::ArrayIndex>(random() % n); };
      unsigned kind = random() % 4;
      if (target->isArray()) {
        Json::ArrayIndex n = target->size();
        if (kind == 0 || n == 0) target->append(static_cast<Json::Int>(random() % 100));
        else if (kind == 1) target->removeIndex(pick(n), nullptr);
        else if (kind == 2) (*target)[pick(n)] = "s" + std::to_string(random() % 9);
        else (*target)[pick(n)] = donor["mounts"][pick(2)];
      } else {
        std::vector<std::string> names = target->getMemberNames();
        if (kind == 0 || names.empty()) (*target)["k" + std::to_string(random() % 5)] = true;
        else if (kind == 1) target->removeMember(names[random() % names.size()]);
        else if (kind == 2) (*target)[names[random() % names.size()]] = Json::Value();
        else (*target)[names[random() % names.size()]] = donor["linux"];
      }
    }
    std::string spliced = SpliceSpec(source, spec);
    ASSERT_EQ(SerializeSpec(spec), SerializeSpec(MustParse(spliced))) << "round " << round << "\n"
                                                                       << spliced;
  }
}

}  // namespace
}  // namespace oci
