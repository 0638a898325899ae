// The one-pass env rules must equal the per-rule steps --oi-explain shows.
#include "env_rules.h"

#include <gtest/gtest.h>

#include "rule_plan.h"
#include "settings.h"
#include "spec.h"

namespace oci {
namespace {

void Set(Settings* settings, const std::string& key, const std::string& value) {
  std::string err;
  ASSERT_TRUE(settings->SetItem(key, value, Origin::CommandLine(), &err)) << err;
}

struct Outcome {
  bool ok;
  std::string json;
  Changes changes;
};

Outcome OnePass(const Settings& settings, const std::string& input) {
  Json::Value spec;
  std::string err;
  EXPECT_TRUE(ParseSpec(input, &spec, &err)) << err;
  Outcome out;
  out.ok = ApplyEnvRules(settings, &spec, &out.changes, &err);
  out.json = out.ok ? SerializeSpec(spec) : err;
  return out;
}

Outcome Stepwise(const Settings& settings, const std::string& input) {
  Json::Value spec;
  std::string err;
  EXPECT_TRUE(ParseSpec(input, &spec, &err)) << err;
  Outcome out;
  out.ok = ApplySteps(PlanEnvRules(settings), &spec, &out.changes, &err);
  out.json = out.ok ? SerializeSpec(spec) : err;
  return out;
}

TEST(EnvRulesTest, OnePassEqualsTheStepsOnEveryMix) {
  const char* const inputs[] = {
      R"({})",
      R"({"process":{}})",
      R"({"process":{"env":null}})",
      R"({"process":{"env":[]}})",
      R"({"process":{"env":["A=1","B=2","A=3","C","D=4=5","E="]}})",
      R"({"process":{"env":["PATH=/bin","HOME=/root","A=x"]},"other":1})",
  };
  // Each settings mix touches present, absent, duplicated and bare names.
  const std::vector<std::vector<std::pair<std::string, std::string>>> mixes = {
      {{"env", "A=default"}, {"env", "Z=new"}},
      {{"env-force", "A=forced"}, {"env-force", "C=now"}, {"env-force", "Q=q"}},
      {{"env-unset", "A"}, {"env-unset", "C"}, {"env-unset", "NOPE"}},
      {{"env-unset", "A"}, {"env", "A=again"}, {"env", "B=kept"}},
      {{"env", "A=soft"}, {"env-force", "A=hard"}, {"env-unset", "B"}},
      {{"env-force", "A=3"}},  // already the first value, but duplicated
      {{"env-force", "B=2"}},  // already exactly so: no change
      {{"env-unset", "E"}, {"env-force", "D=x"}, {"env", "HOME=/home"}},
  };
  for (const auto& mix : mixes) {
    Settings settings;
    for (const auto& [key, value] : mix) Set(&settings, key, value);
    for (const char* input : inputs) {
      Outcome fast = OnePass(settings, input);
      Outcome slow = Stepwise(settings, input);
      SCOPED_TRACE(std::string(input) + " with " + mix[0].first + " " + mix[0].second);
      EXPECT_EQ(slow.ok, fast.ok);
      EXPECT_EQ(slow.json, fast.json);
      EXPECT_EQ(slow.changes, fast.changes);
    }
  }
}

TEST(EnvRulesTest, WrongTypesAreNamed) {
  Settings settings;
  Set(&settings, "env", "A=1");
  EXPECT_EQ("process is not an object", OnePass(settings, R"({"process":[]})").json);
  EXPECT_EQ("process.env is not an array", OnePass(settings, R"({"process":{"env":{}}})").json);
  EXPECT_EQ("process.env[1] is not a string",
            OnePass(settings, R"({"process":{"env":["A=1",{}]}})").json);
}

TEST(EnvRulesTest, UnsetAloneCreatesNothing) {
  Settings settings;
  Set(&settings, "env-unset", "A");
  Outcome out = OnePass(settings, R"({"ociVersion":"1.0.2"})");
  ASSERT_TRUE(out.ok);
  EXPECT_EQ(R"({"ociVersion":"1.0.2"})", out.json);
  EXPECT_TRUE(out.changes.empty());
}

TEST(EnvRulesTest, ManyRulesOnManyEntriesAreApplied) {
  // 20,000 rules against 20,000 entries: quadratic steps would take minutes.
  Settings settings;
  std::string input = R"({"process":{"env":[)";
  for (int i = 0; i < 20000; ++i) {
    input += (i ? "," : "") + std::string("\"E") + std::to_string(i) + "=v\"";
    Set(&settings, i % 2 ? "env" : "env-force", "R" + std::to_string(i) + "=x");
  }
  input += "]}}";
  Outcome out = OnePass(settings, input);
  ASSERT_TRUE(out.ok) << out.json;
  EXPECT_EQ(20000u, out.changes.size());
}

}  // namespace
}  // namespace oci
