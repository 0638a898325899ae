// The policy rules of issue 7, table-driven: JSON in, JSON and change names
// out; each applied twice to prove idempotence; wrong types named by path.
#include "policy_rules.h"

#include <gtest/gtest.h>

#include <functional>

#include "spec.h"

namespace oci {
namespace {

using Rule = std::function<bool(Json::Value*, Changes*, std::string*)>;

Json::Value Parse(const std::string& text) {
  Json::Value value;
  std::string err;
  EXPECT_TRUE(ParseSpec(text, &value, &err)) << text << ": " << err;
  return value;
}

BindMount Bind(const std::string& source, const std::string& destination, bool readonly) {
  BindMount mount;
  mount.source = source;
  mount.destination = destination;
  mount.readonly = readonly;
  return mount;
}

Hook MakeHook(const std::string& stage, const std::string& path,
              std::vector<std::string> args = {}) {
  Hook hook;
  hook.stage = stage;
  hook.path = path;
  hook.args = std::move(args);
  return hook;
}

Rule Mask(std::vector<std::string> paths) {
  return [paths](Json::Value* s, Changes* c, std::string* e) {
    return AddMaskedPaths(s, paths, c, e);
  };
}
Rule ReadonlyPath(std::vector<std::string> paths) {
  return [paths](Json::Value* s, Changes* c, std::string* e) {
    return AddReadonlyPaths(s, paths, c, e);
  };
}
Rule ReadonlyMount(std::string path) {
  return [path](Json::Value* s, Changes* c, std::string* e) {
    return MakeMountReadonly(s, path, c, e);
  };
}
Rule CapDrop(std::vector<std::string> caps) {
  return [caps](Json::Value* s, Changes* c, std::string* e) {
    return DropCapabilities(s, caps, c, e);
  };
}
Rule NoNewPrivs() { return ForceNoNewPrivileges; }
Rule Pids(long long limit) {
  return [limit](Json::Value* s, Changes* c, std::string* e) {
    return CapPidsLimit(s, limit, c, e);
  };
}
Rule Binds(std::vector<BindMount> mounts) {
  return [mounts](Json::Value* s, Changes* c, std::string* e) {
    return AddBindMounts(s, mounts, c, e);
  };
}
Rule Hooks(std::vector<Hook> hooks) {
  return [hooks](Json::Value* s, Changes* c, std::string* e) { return AddHooks(s, hooks, c, e); };
}
Rule Unset(std::vector<std::string> names) {
  return [names](Json::Value* s, Changes* c, std::string* e) {
    return UnsetEnv(s, names, c, e);
  };
}

struct Case {
  const char* name;
  Rule rule;
  const char* input;
  const char* expected;  // the rewritten config; for a failure, a part of the error
  std::vector<std::string> changes;
  bool fails = false;
};

// Names the case in test output (gtest would otherwise dump its bytes).
void PrintTo(const Case& c, std::ostream* out) { *out << c.name; }

const Case kCases[] = {
    // mask-path
    {"mask: adds to an existing list", Mask({"/proc/kcore"}),
     R"({"linux":{"maskedPaths":["/proc/acpi"]}})",
     R"({"linux":{"maskedPaths":["/proc/acpi","/proc/kcore"]}})", {"mask:/proc/kcore"}},
    {"mask: already masked is no change", Mask({"/proc/kcore"}),
     R"({"linux":{"maskedPaths":["/proc/kcore"]}})", R"({"linux":{"maskedPaths":["/proc/kcore"]}})",
     {}},
    {"mask: creates linux and maskedPaths", Mask({"/a", "/b"}), R"({"ociVersion":"1.0.2"})",
     R"({"ociVersion":"1.0.2","linux":{"maskedPaths":["/a","/b"]}})", {"mask:/a", "mask:/b"}},
    {"mask: null list is created", Mask({"/a"}), R"({"linux":{"maskedPaths":null}})",
     R"({"linux":{"maskedPaths":["/a"]}})", {"mask:/a"}},
    {"mask: nothing to do leaves the config alone", Mask({}), R"({})", R"({})", {}},
    {"mask: linux not an object", Mask({"/a"}), R"({"linux":[]})", "linux is not an object", {},
     true},
    {"mask: list not an array", Mask({"/a"}), R"({"linux":{"maskedPaths":"x"}})",
     "linux.maskedPaths is not an array", {}, true},
    {"mask: entry not a string", Mask({"/a"}), R"({"linux":{"maskedPaths":["/b",1]}})",
     "linux.maskedPaths[1] is not a string", {}, true},
    // readonly-path
    {"readonly-path: adds", ReadonlyPath({"/sys/firmware"}),
     R"({"linux":{"readonlyPaths":["/proc/sys"]}})",
     R"({"linux":{"readonlyPaths":["/proc/sys","/sys/firmware"]}})",
     {"readonly-path:/sys/firmware"}},
    {"readonly-path: creates the section", ReadonlyPath({"/x"}), R"({"linux":{}})",
     R"({"linux":{"readonlyPaths":["/x"]}})", {"readonly-path:/x"}},
    // readonly-mount
    {"readonly-mount: rw becomes ro", ReadonlyMount("/data"),
     R"({"mounts":[{"destination":"/data","type":"bind","source":"/srv","options":["rbind","rw"]}]})",
     R"({"mounts":[{"destination":"/data","type":"bind","source":"/srv","options":["rbind","ro"]}]})",
     {"readonly:/data"}},
    {"readonly-mount: no mount there is no change", ReadonlyMount("/data"),
     R"({"mounts":[{"destination":"/proc","type":"proc"}]})",
     R"({"mounts":[{"destination":"/proc","type":"proc"}]})", {}},
    {"readonly-mount: no mounts section", ReadonlyMount("/data"), R"({})", R"({})", {}},
    // drop-capability
    {"cap-drop: removed from every set", CapDrop({"CAP_NET_RAW"}),
     R"({"process":{"capabilities":{"bounding":["CAP_CHOWN","CAP_NET_RAW"],"effective":["CAP_NET_RAW"],)"
     R"("inheritable":[],"permitted":["CAP_NET_RAW","CAP_KILL"],"ambient":["CAP_NET_RAW"]}}})",
     R"({"process":{"capabilities":{"bounding":["CAP_CHOWN"],"effective":[],)"
     R"("inheritable":[],"permitted":["CAP_KILL"],"ambient":[]}}})",
     {"cap-drop:CAP_NET_RAW"}},
    {"cap-drop: absent capability is no change", CapDrop({"CAP_SYS_ADMIN"}),
     R"({"process":{"capabilities":{"bounding":["CAP_CHOWN"]}}})",
     R"({"process":{"capabilities":{"bounding":["CAP_CHOWN"]}}})", {}},
    {"cap-drop: no process section", CapDrop({"CAP_NET_RAW"}), R"({})", R"({})", {}},
    {"cap-drop: no capabilities section", CapDrop({"CAP_NET_RAW"}), R"({"process":{}})",
     R"({"process":{}})", {}},
    {"cap-drop: missing sets stay missing", CapDrop({"CAP_NET_RAW"}),
     R"({"process":{"capabilities":{"bounding":["CAP_NET_RAW"]}}})",
     R"({"process":{"capabilities":{"bounding":[]}}})", {"cap-drop:CAP_NET_RAW"}},
    {"cap-drop: set not an array", CapDrop({"CAP_NET_RAW"}),
     R"({"process":{"capabilities":{"effective":{}}}})",
     "process.capabilities.effective is not an array", {}, true},
    {"cap-drop: entry not a string", CapDrop({"CAP_NET_RAW"}),
     R"({"process":{"capabilities":{"bounding":[3]}}})",
     "process.capabilities.bounding[0] is not a string", {}, true},
    {"cap-drop: capabilities not an object", CapDrop({"CAP_NET_RAW"}),
     R"({"process":{"capabilities":[]}})", "process.capabilities is not an object", {}, true},
    // no-new-privileges
    {"nnp: false becomes true", NoNewPrivs(), R"({"process":{"noNewPrivileges":false}})",
     R"({"process":{"noNewPrivileges":true}})", {"no-new-privileges"}},
    {"nnp: absent becomes true", NoNewPrivs(), R"({"process":{"args":["sh"]}})",
     R"({"process":{"args":["sh"],"noNewPrivileges":true}})", {"no-new-privileges"}},
    {"nnp: creates process", NoNewPrivs(), R"({})", R"({"process":{"noNewPrivileges":true}})",
     {"no-new-privileges"}},
    {"nnp: already true", NoNewPrivs(), R"({"process":{"noNewPrivileges":true}})",
     R"({"process":{"noNewPrivileges":true}})", {}},
    {"nnp: not a boolean", NoNewPrivs(), R"({"process":{"noNewPrivileges":"yes"}})",
     "process.noNewPrivileges is not a boolean", {}, true},
    {"nnp: process not an object", NoNewPrivs(), R"({"process":1})", "process is not an object",
     {}, true},
    // pids-limit
    {"pids: unset gets the limit", Pids(100), R"({"linux":{"resources":{"memory":{}}}})",
     R"({"linux":{"resources":{"memory":{},"pids":{"limit":100}}}})", {"pids-limit"}},
    {"pids: creates every level", Pids(100), R"({})",
     R"({"linux":{"resources":{"pids":{"limit":100}}}})", {"pids-limit"}},
    {"pids: above is lowered", Pids(100), R"({"linux":{"resources":{"pids":{"limit":4096}}}})",
     R"({"linux":{"resources":{"pids":{"limit":100}}}})", {"pids-limit"}},
    {"pids: unlimited -1 is lowered", Pids(100), R"({"linux":{"resources":{"pids":{"limit":-1}}}})",
     R"({"linux":{"resources":{"pids":{"limit":100}}}})", {"pids-limit"}},
    {"pids: 0 (unset for runc) is lowered", Pids(100),
     R"({"linux":{"resources":{"pids":{"limit":0}}}})",
     R"({"linux":{"resources":{"pids":{"limit":100}}}})", {"pids-limit"}},
    {"pids: beyond int64 is lowered", Pids(100),
     R"({"linux":{"resources":{"pids":{"limit":18446744073709551615}}}})",
     R"({"linux":{"resources":{"pids":{"limit":100}}}})", {"pids-limit"}},
    {"pids: below is kept", Pids(100), R"({"linux":{"resources":{"pids":{"limit":20}}}})",
     R"({"linux":{"resources":{"pids":{"limit":20}}}})", {}},
    {"pids: equal is kept", Pids(100), R"({"linux":{"resources":{"pids":{"limit":100}}}})",
     R"({"linux":{"resources":{"pids":{"limit":100}}}})", {}},
    {"pids: limit not a number", Pids(100), R"({"linux":{"resources":{"pids":{"limit":"1"}}}})",
     "linux.resources.pids.limit is not an integer", {}, true},
    {"pids: resources not an object", Pids(100), R"({"linux":{"resources":7}})",
     "linux.resources is not an object", {}, true},
    // bind-mount
    {"bind: appended", Binds({Bind("/etc/localtime", "/etc/localtime", true)}),
     R"({"mounts":[{"destination":"/proc","type":"proc","source":"proc"}]})",
     R"({"mounts":[{"destination":"/proc","type":"proc","source":"proc"},)"
     R"({"destination":"/etc/localtime","type":"bind","source":"/etc/localtime",)"
     R"("options":["rbind","rprivate","ro"]}]})",
     {"bind:/etc/localtime"}},
    {"bind: rw", Binds({Bind("/srv/ca", "/etc/ssl/certs", false)}), R"({})",
     R"({"mounts":[{"destination":"/etc/ssl/certs","type":"bind","source":"/srv/ca",)"
     R"("options":["rbind","rprivate","rw"]}]})",
     {"bind:/etc/ssl/certs"}},
    {"bind: destination already a mount target", Binds({Bind("/a", "/etc/localtime", true)}),
     R"({"mounts":[{"destination":"/etc/localtime/","type":"bind","source":"/x"}]})",
     R"({"mounts":[{"destination":"/etc/localtime/","type":"bind","source":"/x"}]})", {}},
    {"bind: relative destination counts as a target", Binds({Bind("/a", "/etc/tz", true)}),
     R"({"mounts":[{"destination":"etc//tz","type":"bind","source":"/x"}]})",
     R"({"mounts":[{"destination":"etc//tz","type":"bind","source":"/x"}]})", {}},
    {"bind: mount not an object", Binds({Bind("/a", "/b", true)}), R"({"mounts":["x"]})",
     "mounts[0] is not an object", {}, true},
    {"bind: mounts not an array", Binds({Bind("/a", "/b", true)}), R"({"mounts":{}})",
     "mounts is not an array", {}, true},
    // hook
    {"hook: appended with args", Hooks({MakeHook("prestart", "/usr/bin/h", {"h", "--x"})}),
     R"({"hooks":{"prestart":[{"path":"/bin/other"}]}})",
     R"({"hooks":{"prestart":[{"path":"/bin/other"},{"path":"/usr/bin/h","args":["h","--x"]}]}})",
     {"hook:prestart"}},
    {"hook: creates hooks and the stage, no args", Hooks({MakeHook("poststop", "/bin/h")}),
     R"({})", R"({"hooks":{"poststop":[{"path":"/bin/h"}]}})", {"hook:poststop"}},
    {"hook: two stages", Hooks({MakeHook("createRuntime", "/a"), MakeHook("poststart", "/b")}),
     R"({"hooks":{}})",
     R"({"hooks":{"createRuntime":[{"path":"/a"}],"poststart":[{"path":"/b"}]}})",
     {"hook:createRuntime", "hook:poststart"}},
    {"hook: same path other args is another hook", Hooks({MakeHook("prestart", "/a", {"a", "1"})}),
     R"({"hooks":{"prestart":[{"path":"/a"}]}})",
     R"({"hooks":{"prestart":[{"path":"/a"},{"path":"/a","args":["a","1"]}]}})",
     {"hook:prestart"}},
    {"hook: hooks not an object", Hooks({MakeHook("prestart", "/a")}), R"({"hooks":[]})",
     "hooks is not an object", {}, true},
    {"hook: stage not an array", Hooks({MakeHook("prestart", "/a")}),
     R"({"hooks":{"prestart":{}}})", "hooks.prestart is not an array", {}, true},
    // env-unset
    {"env-unset: every entry of NAME goes", Unset({"TOKEN"}),
     R"({"process":{"env":["A=1","TOKEN=x","TOKEN_B=2","TOKEN","TOKEN=y"]}})",
     R"({"process":{"env":["A=1","TOKEN_B=2"]}})", {"env-unset:TOKEN"}},
    {"env-unset: absent NAME is no change", Unset({"TOKEN"}), R"({"process":{"env":["A=1"]}})",
     R"({"process":{"env":["A=1"]}})", {}},
    {"env-unset: no env is not created", Unset({"TOKEN"}), R"({"process":{}})",
     R"({"process":{}})", {}},
    {"env-unset: no process is not created", Unset({"TOKEN"}), R"({})", R"({})", {}},
    {"env-unset: env not an array", Unset({"A"}), R"({"process":{"env":"A=1"}})",
     "process.env is not an array", {}, true},
    {"env-unset: entry not a string", Unset({"A"}), R"({"process":{"env":[null]}})",
     "process.env[0] is not a string", {}, true},
};

class PolicyRuleTest : public ::testing::TestWithParam<Case> {};

TEST_P(PolicyRuleTest, RewritesAsExpectedAndIsIdempotent) {
  const Case& c = GetParam();
  Json::Value spec = Parse(c.input);
  Changes changes;
  std::string err;
  bool ok = c.rule(&spec, &changes, &err);
  if (c.fails) {
    EXPECT_FALSE(ok);
    EXPECT_NE(std::string::npos, err.find(c.expected)) << "error: " << err;
    return;
  }
  ASSERT_TRUE(ok) << err;
  EXPECT_EQ(Parse(c.expected), spec) << SerializeSpec(spec);
  EXPECT_EQ(c.changes, changes);

  Json::Value again = spec;
  Changes second;
  ASSERT_TRUE(c.rule(&again, &second, &err)) << err;
  EXPECT_EQ(spec, again) << "applying twice differs from applying once";
  EXPECT_TRUE(second.empty()) << "second application reported " << second.size() << " changes";
}

INSTANTIATE_TEST_SUITE_P(Table, PolicyRuleTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           std::string name;
                           for (char ch : std::string(info.param.name)) {
                             name += isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
                           }
                           return name + "_" + std::to_string(info.index);
                         });

TEST(PolicyRulesTest, KeepUntouchedFieldsExactly) {
  const std::string input =
      R"({"process":{"rlimits":[{"type":"RLIMIT_NOFILE","hard":18446744073709551615}],)"
      R"("env":["A=1"]},"linux":{"seccomp":{"syscalls":[{"names":["x"],"errnoRet":1,)"
      R"("args":[{"index":0,"value":9223372036854775807}]}]}},"annotations":{"k":"\u00e9"}})";
  Json::Value spec = Parse(input);
  Changes changes;
  std::string err;
  ASSERT_TRUE(AddMaskedPaths(&spec, {"/proc/kcore"}, &changes, &err));
  ASSERT_TRUE(CapPidsLimit(&spec, 5, &changes, &err));
  ASSERT_TRUE(ForceNoNewPrivileges(&spec, &changes, &err));
  Json::Value expected = Parse(input);
  expected["linux"]["maskedPaths"].append("/proc/kcore");
  expected["linux"]["resources"]["pids"]["limit"] = 5;
  expected["process"]["noNewPrivileges"] = true;
  EXPECT_EQ(expected, spec);
  EXPECT_EQ(SerializeSpec(expected), SerializeSpec(spec));
}

}  // namespace
}  // namespace oci
