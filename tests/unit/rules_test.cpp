#include "rules.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rule_plan.h"
#include "spec.h"

namespace oci {
namespace {

Json::Value Json(const std::string& text) {
  Json::Value value;
  std::string err;
  EXPECT_TRUE(ParseSpec(text, &value, &err)) << err << " in " << text;
  return value;
}

EnvRule Env(const std::string& name, const std::string& value) {
  return EnvRule{name, value, Origin::CommandLine()};
}

// One row: settings, config.json in, config.json out (or an error), changes.
struct RuleCase {
  const char* name;
  bool readonly = false;
  std::vector<EnvRule> env;
  std::vector<EnvRule> env_force;
  const char* in;
  const char* out;  // null when an error is expected
  Changes changes;
  const char* error = "";  // part of the expected message
};

Settings SettingsOf(const RuleCase& c) {
  Settings settings;
  settings.readonly_networking_mounts = c.readonly;
  settings.env = c.env;
  settings.env_force = c.env_force;
  return settings;
}

const RuleCase kReadonlyCases[] = {
    {"mount without options gains ro", true, {}, {},
     R"({"mounts":[{"destination":"/etc/hosts","type":"bind","source":"/s/hosts"}]})",
     R"({"mounts":[{"destination":"/etc/hosts","type":"bind","source":"/s/hosts","options":["ro"]}]})",
     {"readonly:/etc/hosts"}},
    {"null options become ro", true, {}, {},
     R"({"mounts":[{"destination":"/etc/hosts","options":null}]})",
     R"({"mounts":[{"destination":"/etc/hosts","options":["ro"]}]})",
     {"readonly:/etc/hosts"}},
    {"rw is replaced, other options kept in order", true, {}, {},
     R"({"mounts":[{"destination":"/etc/resolv.conf","options":["rbind","rw","rprivate"]}]})",
     R"({"mounts":[{"destination":"/etc/resolv.conf","options":["rbind","rprivate","ro"]}]})",
     {"readonly:/etc/resolv.conf"}},
    {"ro already: no change", true, {}, {},
     R"({"mounts":[{"destination":"/etc/hostname","options":["rbind","ro","rprivate"]}]})",
     R"({"mounts":[{"destination":"/etc/hostname","options":["rbind","ro","rprivate"]}]})",
     {}},
    {"rw and ro together: rw goes", true, {}, {},
     R"({"mounts":[{"destination":"/etc/hosts","options":["rw","ro"]}]})",
     R"({"mounts":[{"destination":"/etc/hosts","options":["ro"]}]})",
     {"readonly:/etc/hosts"}},
    {"docker's three mounts, others untouched", true, {}, {},
     R"({"mounts":[
        {"destination":"/proc","type":"proc","source":"proc","options":["nosuid"]},
        {"destination":"/etc/resolv.conf","type":"bind","source":"/r","options":["rbind","rprivate"]},
        {"destination":"/etc/hostname","type":"bind","source":"/h","options":["rbind","rprivate"]},
        {"destination":"/etc/hosts","type":"bind","source":"/x","options":["rbind","rprivate"]},
        {"destination":"/etc/passwd","type":"bind","source":"/p","options":["rw"]},
        {"destination":"/etc/hosts.d","options":["rw"]},
        {"type":"tmpfs","x-unknown":{"a":[1,2]}}],
        "x-top":18446744073709551615})",
     R"({"mounts":[
        {"destination":"/proc","type":"proc","source":"proc","options":["nosuid"]},
        {"destination":"/etc/resolv.conf","type":"bind","source":"/r","options":["rbind","rprivate","ro"]},
        {"destination":"/etc/hostname","type":"bind","source":"/h","options":["rbind","rprivate","ro"]},
        {"destination":"/etc/hosts","type":"bind","source":"/x","options":["rbind","rprivate","ro"]},
        {"destination":"/etc/passwd","type":"bind","source":"/p","options":["rw"]},
        {"destination":"/etc/hosts.d","options":["rw"]},
        {"type":"tmpfs","x-unknown":{"a":[1,2]}}],
        "x-top":18446744073709551615})",
     {"readonly:/etc/hosts", "readonly:/etc/hostname", "readonly:/etc/resolv.conf"}},
    {"other spellings of the same destination are made read-only too", true, {}, {},
     R"({"mounts":[{"destination":"/etc//hosts","options":["rw"]},
        {"destination":"/etc/./hostname/","options":["rw"]},
        {"destination":"etc/../etc/resolv.conf","options":["rw"]},
        {"destination":"/etc/hosts.d/..","options":["rw"]}]})",
     R"({"mounts":[{"destination":"/etc//hosts","options":["ro"]},
        {"destination":"/etc/./hostname/","options":["ro"]},
        {"destination":"etc/../etc/resolv.conf","options":["ro"]},
        {"destination":"/etc/hosts.d/..","options":["rw"]}]})",
     {"readonly:/etc/hosts", "readonly:/etc/hostname", "readonly:/etc/resolv.conf"}},
    {"two mounts on one destination: both, one change", true, {}, {},
     R"({"mounts":[{"destination":"/etc/hosts","options":["rw"]},
                   {"destination":"/etc/hosts"}]})",
     R"({"mounts":[{"destination":"/etc/hosts","options":["ro"]},
                   {"destination":"/etc/hosts","options":["ro"]}]})",
     {"readonly:/etc/hosts"}},
    {"no mounts", true, {}, {}, R"({"process":{"env":["A=1"]}})",
     R"({"process":{"env":["A=1"]}})", {}},
    {"empty mounts", true, {}, {}, R"({"mounts":[]})", R"({"mounts":[]})", {}},
    {"null mounts", true, {}, {}, R"({"mounts":null})", R"({"mounts":null})", {}},
    {"mounts not an array", true, {}, {}, R"({"mounts":{"destination":"/etc/hosts"}})", nullptr,
     {}, "mounts is not an array"},
    {"mount not an object", true, {}, {}, R"({"mounts":[{"destination":"/proc"},"x"]})", nullptr,
     {}, "mounts[1] is not an object"},
    {"destination not a string", true, {}, {}, R"({"mounts":[{"destination":5}]})", nullptr, {},
     "mounts[0].destination is not a string"},
    {"options not an array", true, {}, {},
     R"({"mounts":[{"destination":"/etc/hosts","options":"rw"}]})", nullptr, {},
     "mounts[0].options is not an array"},
    {"bad options on two paths: the first path's is reported", true, {}, {},
     R"({"mounts":[{"destination":"/etc/resolv.conf","options":5},
                   {"destination":"/etc/hosts","options":7}]})", nullptr, {},
     "mounts[1].options is not an array"},
    {"option not a string", true, {}, {},
     R"({"mounts":[{"destination":"/proc"},{"destination":"/etc/hosts","options":["rw",1]}]})",
     nullptr, {}, "mounts[1].options[1] is not a string"},
    {"disabled rule reads nothing", false, {}, {}, R"({"mounts":"garbage"})",
     R"({"mounts":"garbage"})", {}},
};

const RuleCase kEnvCases[] = {
    {"no process: created", false, {Env("A", "1")}, {}, R"({"ociVersion":"1.0.2"})",
     R"({"ociVersion":"1.0.2","process":{"env":["A=1"]}})", {"env:A"}},
    {"null process: created", false, {Env("A", "1")}, {}, R"({"process":null})",
     R"({"process":{"env":["A=1"]}})", {"env:A"}},
    {"no process.env: created", false, {Env("A", "1")}, {},
     R"({"process":{"args":["sh"],"cwd":"/"}})",
     R"({"process":{"args":["sh"],"cwd":"/","env":["A=1"]}})", {"env:A"}},
    {"null process.env: created", false, {Env("A", "1")}, {}, R"({"process":{"env":null}})",
     R"({"process":{"env":["A=1"]}})", {"env:A"}},
    {"appended after existing", false, {Env("A", "1"), Env("B", "2")}, {},
     R"({"process":{"env":["PATH=/bin"]}})",
     R"({"process":{"env":["PATH=/bin","A=1","B=2"]}})", {"env:A", "env:B"}},
    {"set by the container: kept", false, {Env("A", "1")}, {},
     R"({"process":{"env":["A=container"]}})", R"({"process":{"env":["A=container"]}})", {}},
    {"empty value in the container counts as set", false, {Env("A", "1")}, {},
     R"({"process":{"env":["A="]}})", R"({"process":{"env":["A="]}})", {}},
    {"bare NAME in the container counts as set", false, {Env("A", "1")}, {},
     R"({"process":{"env":["A"]}})", R"({"process":{"env":["A"]}})", {}},
    {"duplicated NAME in the container: kept", false, {Env("A", "1")}, {},
     R"({"process":{"env":["A=x","A=y"]}})", R"({"process":{"env":["A=x","A=y"]}})", {}},
    {"a longer name is another name", false, {Env("A", "1")}, {},
     R"({"process":{"env":["AB=2","B=A"]}})", R"({"process":{"env":["AB=2","B=A","A=1"]}})",
     {"env:A"}},
    {"empty value is valid", false, {Env("A", "")}, {}, R"({"process":{"env":[]}})",
     R"({"process":{"env":["A="]}})", {"env:A"}},
    {"value with = and unicode", false, {Env("A", "x=y=\xc3\xa9")}, {}, R"({"process":{}})",
     "{\"process\":{\"env\":[\"A=x=y=\xc3\xa9\"]}}", {"env:A"}},

    {"force: no process", false, {}, {Env("A", "1")}, R"({})", R"({"process":{"env":["A=1"]}})",
     {"env-force:A"}},
    {"force: replaced in place", false, {}, {Env("A", "1")},
     R"({"process":{"env":["X=1","A=0","Y=2"]}})", R"({"process":{"env":["X=1","A=1","Y=2"]}})",
     {"env-force:A"}},
    {"force: every entry of NAME replaced", false, {}, {Env("A", "1")},
     R"({"process":{"env":["A=0","X=1","A","A=2"]}})", R"({"process":{"env":["A=1","X=1"]}})",
     {"env-force:A"}},
    {"force: same value already: no change", false, {}, {Env("A", "1")},
     R"({"process":{"env":["X=1","A=1"]}})", R"({"process":{"env":["X=1","A=1"]}})", {}},
    {"force: duplicate of the same value removed", false, {}, {Env("A", "1")},
     R"({"process":{"env":["A=1","A=1"]}})", R"({"process":{"env":["A=1"]}})", {"env-force:A"}},
    {"force: bare NAME replaced", false, {}, {Env("A", "1")}, R"({"process":{"env":["A"]}})",
     R"({"process":{"env":["A=1"]}})", {"env-force:A"}},
    {"force: empty value", false, {}, {Env("A", "")}, R"({"process":{"env":["A=secret"]}})",
     R"({"process":{"env":["A="]}})", {"env-force:A"}},
    {"force beats env for one NAME", false, {Env("A", "soft"), Env("B", "2")}, {Env("A", "hard")},
     R"({"process":{"env":[]}})", R"({"process":{"env":["B=2","A=hard"]}})",
     {"env:B", "env-force:A"}},
    {"force beats the container, env does not", false, {Env("A", "soft")}, {Env("B", "hard")},
     R"({"process":{"env":["A=c","B=c"]}})", R"({"process":{"env":["A=c","B=hard"]}})",
     {"env-force:B"}},

    {"process not an object", false, {Env("A", "1")}, {}, R"({"process":["sh"]})", nullptr, {},
     "process is not an object"},
    {"process a string", false, {}, {Env("A", "1")}, R"({"process":"sh"})", nullptr, {},
     "process is not an object"},
    {"env not an array", false, {Env("A", "1")}, {}, R"({"process":{"env":"A=1"}})", nullptr,
     {}, "process.env is not an array"},
    {"env an object", false, {}, {Env("A", "1")}, R"({"process":{"env":{"A":"1"}}})", nullptr,
     {}, "process.env is not an array"},
    {"env entry not a string", false, {Env("A", "1")}, {},
     R"({"process":{"env":["X=1",2]}})", nullptr, {}, "process.env[1] is not a string"},
    {"env entry null, forced", false, {}, {Env("A", "1")}, R"({"process":{"env":[null]}})",
     nullptr, {}, "process.env[0] is not a string"},
    {"disabled env rules read nothing", true, {}, {}, R"({"process":7})", R"({"process":7})",
     {}},
};

void CheckCase(const RuleCase& c) {
  SCOPED_TRACE(c.name);
  Settings settings = SettingsOf(c);
  Json::Value spec = Json(c.in);
  Changes changes;
  std::string err;
  bool ok = ApplyRules(settings, &spec, &changes, &err);

  // ApplyRules runs the env rules in one pass; --oi-explain's one step per
  // rule and value must come to the same spec, changes and error.
  Json::Value stepped = Json(c.in);
  Changes stepped_changes;
  std::string stepped_err;
  EXPECT_EQ(ok, ApplySteps(PlanRules(settings), &stepped, &stepped_changes,
                           &stepped_err));
  EXPECT_EQ(err, stepped_err);
  if (ok) {
    EXPECT_EQ(stepped, spec);
    EXPECT_EQ(stepped_changes, changes);
  }

  if (!c.out) {
    EXPECT_FALSE(ok);
    EXPECT_NE(std::string::npos, err.find(c.error)) << "error: " << err;
    return;
  }
  ASSERT_TRUE(ok) << err;
  EXPECT_EQ(Json(c.out), spec) << SerializeSpec(spec);
  EXPECT_EQ(c.changes, changes);

  // Idempotence: a second pass changes nothing.
  Json::Value once = spec;
  Changes again;
  ASSERT_TRUE(ApplyRules(settings, &spec, &again, &err)) << err;
  EXPECT_EQ(once, spec);
  EXPECT_TRUE(again.empty());
}

TEST(RulesTest, ReadonlyNetworkingMounts) {
  for (const RuleCase& c : kReadonlyCases) CheckCase(c);
}

TEST(RulesTest, EnvDefaultsAndForced) {
  for (const RuleCase& c : kEnvCases) CheckCase(c);
}

TEST(RulesTest, AllRulesTogether) {
  RuleCase c;
  c.name = "all";
  c.readonly = true;
  c.env = {Env("HTTP_PROXY", "http://p:3128")};
  c.env_force = {Env("TZ", "UTC")};
  c.in = R"({"process":{"env":["TZ=Europe/Paris"]},
             "mounts":[{"destination":"/etc/hosts","options":["rbind","rw"]}]})";
  c.out = R"({"process":{"env":["TZ=UTC","HTTP_PROXY=http://p:3128"]},
              "mounts":[{"destination":"/etc/hosts","options":["rbind","ro"]}]})";
  c.changes = {"readonly:/etc/hosts", "env:HTTP_PROXY", "env-force:TZ"};
  CheckCase(c);
}

TEST(RulesTest, ChangesNameNoValues) {
  Settings settings;
  settings.env = {Env("TOKEN", "s3cret")};
  settings.env_force = {Env("PASSWORD", "hunter2")};
  Json::Value spec = Json(R"({"process":{"env":["PASSWORD=old"]}})");
  Changes changes;
  std::string err;
  ASSERT_TRUE(ApplyRules(settings, &spec, &changes, &err)) << err;
  ASSERT_EQ(2u, changes.size());
  for (const std::string& change : changes) {
    EXPECT_EQ(std::string::npos, change.find("s3cret"));
    EXPECT_EQ(std::string::npos, change.find("hunter2"));
    EXPECT_EQ(std::string::npos, change.find("old"));
  }
}

TEST(RulesTest, MakeMountReadonlyOfAnyDestination) {
  Json::Value spec = Json(R"({"mounts":[{"destination":"/data","options":["rw"]},
                                       {"destination":"/etc/hosts","options":["rw"]}]})");
  Changes changes;
  std::string err;
  ASSERT_TRUE(MakeMountReadonly(&spec, "/data", &changes, &err)) << err;
  EXPECT_EQ(Json(R"({"mounts":[{"destination":"/data","options":["ro"]},
                               {"destination":"/etc/hosts","options":["rw"]}]})"),
            spec);
  EXPECT_EQ(Changes{"readonly:/data"}, changes);
}

}  // namespace
}  // namespace oci
