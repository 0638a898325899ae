// containerd registration: our block in v2 configs, the v3 drop-in with the
// checked text edit of imports, register/unregister plans, all in memory.
#include "containerd_config.h"

#include <map>
#include <string>

#include <gtest/gtest.h>

#include "engine_test_util.h"
#include "toml_document.h"

namespace oci {
namespace {

const char kMain[] = "/etc/containerd/config.toml";
const char kDropIn[] = "/etc/containerd/conf.d/oci-interceptor.toml";
const char kPlugin2[] = "io.containerd.grpc.v1.cri";
const char kPlugin3[] = "io.containerd.cri.v1.runtime";

// Debian 12's /etc/containerd/config.toml, shortened, with comments.
const char kDebianConfig[] =
    "version = 2\n"
    "\n"
    "# the CRI plugin\n"
    "[plugins]\n"
    "  [plugins.\"io.containerd.grpc.v1.cri\"]\n"
    "    [plugins.\"io.containerd.grpc.v1.cri\".cni]\n"
    "      bin_dir = \"/usr/lib/cni\"  # CNI plugins\n"
    "      conf_dir = \"/etc/cni/net.d\"\n"
    "    [plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc.options]\n"
    "      SystemdCgroup = true\n"
    "  [plugins.\"io.containerd.internal.v1.opt\"]\n"
    "    path = \"/var/lib/containerd/opt\"\n";

using test::IsOurs;
using test::kBinary;
using test::Toml;

// The files of one machine, in memory: a missing key is a missing file.
using Files = std::map<std::string, std::string>;

ExistingFile Existing(const Files& files, const std::string& path) {
  ExistingFile file;
  file.path = path;
  auto found = files.find(path);
  if (found != files.end()) {
    file.exists = true;
    file.text = found->second;
  }
  return file;
}

EnginePlan Plan(const Files& files, bool unregister, const std::string& binary = kBinary) {
  ContainerdFiles input{Existing(files, kMain), Existing(files, kDropIn)};
  EnginePlan plan;
  std::string err;
  EXPECT_TRUE(PlanContainerd(input, "oci-interceptor", binary, unregister, IsOurs, &plan, &err))
      << err;
  return plan;
}

void Apply(const EnginePlan& plan, Files* files) {
  for (const FileEdit& edit : plan.edits) {
    if (edit.remove) {
      files->erase(edit.path);
    } else {
      (*files)[edit.path] = edit.content;
    }
  }
}

// The error of a register that must fail, planning nothing.
std::string RefusedRegister(const Files& files) {
  ContainerdFiles input{Existing(files, kMain), Existing(files, kDropIn)};
  EnginePlan plan;
  std::string err;
  EXPECT_FALSE(PlanContainerd(input, "oci-interceptor", kBinary, false, IsOurs, &plan, &err));
  EXPECT_TRUE(plan.edits.empty());
  return err;
}

const Json::Value& Handler(const Json::Value& dropin, const char* plugin) {
  return dropin["plugins"][plugin]["containerd"]["runtimes"]["oci-interceptor"];
}

TEST(ContainerdConfig, DropInPathIsConfDBesideTheMainConfig) {
  EXPECT_EQ(kDropIn, ContainerdDropInPath(kMain, "oci-interceptor"));
  EXPECT_EQ("/tmp/x/conf.d/h.toml", ContainerdDropInPath("/tmp/x/c.toml", "h"));
}

const char kV3Config[] =
    "version = 3\n[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]\n"
    "SystemdCgroup = false\n";

// The parsed config with our handler (and runc, when we added it) taken out.
Json::Value WithoutOurs(Json::Value config, bool runc_too) {
  Json::Value& runtimes = config["plugins"][kPlugin2]["containerd"]["runtimes"];
  runtimes.removeMember("oci-interceptor");
  if (runc_too) runtimes.removeMember("runc");
  return config;
}

TEST(ContainerdConfig, AbsentConfigIsCreatedWithVersion2RuncAndTheHandler) {
  Files files;
  EnginePlan plan = Plan(files, false);
  ASSERT_EQ(1u, plan.edits.size());
  EXPECT_EQ(kMain, plan.edits[0].path);
  Apply(plan, &files);
  Json::Value main = Toml(files[kMain]);
  EXPECT_EQ(2, main["version"].asInt());
  EXPECT_FALSE(main.isMember("imports"));
  const Json::Value& runtimes = main["plugins"][kPlugin2]["containerd"]["runtimes"];
  // containerd 1.x: a config naming a runtime replaces the default ones.
  EXPECT_EQ("io.containerd.runc.v2", runtimes["runc"]["runtime_type"].asString());
  Json::Value handler = Handler(main, kPlugin2);
  EXPECT_EQ("io.containerd.runc.v2", handler["runtime_type"].asString());
  EXPECT_EQ(kBinary, handler["options"]["BinaryName"].asString());
  EXPECT_FALSE(handler["options"].isMember("SystemdCgroup"));
  EXPECT_EQ(0u, files.count(kDropIn));
}

TEST(ContainerdConfig, EmptyConfigGetsVersionAndTheBlock) {
  Files files = {{kMain, ""}};
  Apply(Plan(files, false), &files);
  EXPECT_EQ(0u, files[kMain].find("# >>> oci-interceptor: runtime handler oci-interceptor"))
      << files[kMain];
  EXPECT_EQ(2, Toml(files[kMain])["version"].asInt());
}

TEST(ContainerdConfig, V2ConfigKeepsEveryByteAndGetsTheHandlerInTheSameTable) {
  // containerd 1.x lets an imported file's CRI table replace the main one's
  // whole (cni bin_dir, SystemdCgroup, sandbox_image...): no drop-in on v2.
  Files files = {{kMain, kDebianConfig}};
  EnginePlan plan = Plan(files, false);
  ASSERT_EQ(1u, plan.edits.size());
  EXPECT_EQ("added handler 'oci-interceptor'", plan.edits[0].change);
  Apply(plan, &files);
  EXPECT_EQ(0u, files[kMain].find(kDebianConfig));
  Json::Value main = Toml(files[kMain]);
  EXPECT_EQ(Toml(kDebianConfig), WithoutOurs(main, false));  // runc was there: not added
  EXPECT_EQ(kBinary, Handler(main, kPlugin2)["options"]["BinaryName"].asString());
  EXPECT_EQ(0u, files.count(kDropIn));
}

TEST(ContainerdConfig, RuncIsAddedOnlyWhenTheConfigNamesNoRuncRuntime) {
  Files files = {{kMain, "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".cni]\n"
                         "bin_dir = \"/usr/lib/cni\"\n"}};
  Apply(Plan(files, false), &files);
  Json::Value main = Toml(files[kMain]);
  EXPECT_EQ("io.containerd.runc.v2",
            main["plugins"][kPlugin2]["containerd"]["runtimes"]["runc"]["runtime_type"].asString());
  EXPECT_EQ("/usr/lib/cni", main["plugins"][kPlugin2]["cni"]["bin_dir"].asString());
}

TEST(ContainerdConfig, SystemdCgroupIsCopiedFromRunc) {
  Files files = {{kMain, kDebianConfig}};
  Apply(Plan(files, false), &files);
  EXPECT_TRUE(Handler(Toml(files[kMain]), kPlugin2)["options"]["SystemdCgroup"].asBool());
}

TEST(ContainerdConfig, SystemdCgroupFollowsTheDefaultRuntime) {
  // default_runtime_name = "crun": the kubelet's cgroup driver is crun's.
  Files files = {{kMain, "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".containerd]\n"
                         "default_runtime_name = \"crun\"\n"
                         "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.crun.options]\n"
                         "SystemdCgroup = true\n"}};
  Apply(Plan(files, false), &files);
  EXPECT_TRUE(Handler(Toml(files[kMain]), kPlugin2)["options"]["SystemdCgroup"].asBool());
}

TEST(ContainerdConfig, V3ConfigGetsAV3DropIn) {
  Files files = {{kMain, kV3Config}};
  Apply(Plan(files, false), &files);
  Json::Value dropin = Toml(files[kDropIn]);
  EXPECT_EQ(3, dropin["version"].asInt());
  EXPECT_EQ(kBinary, Handler(dropin, kPlugin3)["options"]["BinaryName"].asString());
  EXPECT_FALSE(Handler(dropin, kPlugin3)["options"]["SystemdCgroup"].asBool());
  EXPECT_TRUE(Handler(dropin, kPlugin2).isNull());
  EXPECT_EQ(kDropIn, Toml(files[kMain])["imports"][0].asString());
}

TEST(ContainerdConfig, V3ImportsAreExtended) {
  Files files = {{kMain, "version = 3\nimports = [\n  \"/etc/a.toml\", # first\n  \"/etc/]b.toml\",\n]\n"}};
  Apply(Plan(files, false), &files);
  Json::Value main = Toml(files[kMain]);
  ASSERT_EQ(3u, main["imports"].size());
  EXPECT_EQ("/etc/]b.toml", main["imports"][1].asString());
  EXPECT_EQ(kDropIn, main["imports"][2].asString());
}

TEST(ContainerdConfig, AGlobThatCoversTheDropInLeavesTheConfigAlone) {
  for (const char* import : {"/etc/containerd/conf.d/*.toml", "conf.d/*.toml"}) {
    Files files = {{kMain, std::string("version = 3\nimports = [\"") + import + "\"]\n"}};
    EnginePlan plan = Plan(files, false);
    ASSERT_EQ(1u, plan.edits.size()) << import;
    EXPECT_EQ(kDropIn, plan.edits[0].path);
  }
}

TEST(ContainerdConfig, RegisterIsIdempotent) {
  for (const char* original : {kDebianConfig, kV3Config, ""}) {
    Files files = {{kMain, original}};
    Apply(Plan(files, false), &files);
    EXPECT_TRUE(Plan(files, false).edits.empty()) << original;
  }
}

TEST(ContainerdConfig, OurBlockWithAnotherBinaryIsUpdated) {
  Files files = {{kMain, kDebianConfig}};
  Apply(Plan(files, false, "/opt/old/oci-interceptor"), &files);
  EnginePlan plan = Plan(files, false);
  ASSERT_EQ(1u, plan.edits.size());
  EXPECT_EQ("updated handler 'oci-interceptor'", plan.edits[0].change);
  Apply(plan, &files);
  EXPECT_EQ(kBinary, Handler(Toml(files[kMain]), kPlugin2)["options"]["BinaryName"].asString());
  EXPECT_EQ(std::string(kDebianConfig), files[kMain].substr(0, sizeof kDebianConfig - 1));
}

TEST(ContainerdConfig, AnotherRuntimeUnderOurNameIsRefused) {
  Files files = {{kMain, "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes."
                         "oci-interceptor.options]\nBinaryName = \"/usr/bin/other\"\n"}};
  std::string err = RefusedRegister(files);
  EXPECT_NE(std::string::npos, err.find("already declares handler 'oci-interceptor'")) << err;
  EXPECT_TRUE(Plan(files, true).edits.empty());  // and unregister leaves it
}

TEST(ContainerdConfig, AHandWrittenHandlerForThisBinaryIsRegisteredAlready) {
  Files files = {{kMain, "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes."
                         "oci-interceptor.options]\nBinaryName = \"" + std::string(kBinary) + "\"\n"}};
  EnginePlan plan = Plan(files, false);
  EXPECT_TRUE(plan.edits.empty());
  ASSERT_EQ(1u, plan.kept.size());
  EXPECT_NE(std::string::npos, plan.kept[0].find("already runs this binary")) << plan.kept[0];
}

TEST(ContainerdConfig, ADropInThatIsNotOursIsNeitherReplacedNorRemoved) {
  Files files = {{kMain, kV3Config},
                 {kDropIn, "[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes."
                           "oci-interceptor.options]\nBinaryName = \"/usr/bin/other\"\n"}};
  std::string err = RefusedRegister(files);
  EXPECT_NE(std::string::npos, err.find("not ours")) << err;
  EnginePlan removal = Plan(files, true);
  EXPECT_TRUE(removal.edits.empty());
  ASSERT_EQ(1u, removal.kept.size());
}

TEST(ContainerdConfig, AHandlerInTheMainV3ConfigIsReported) {
  Files files = {{kMain, "version = 3\n[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes."
                         "oci-interceptor]\nruntime_type = \"io.containerd.runc.v2\"\n"}};
  EnginePlan plan = Plan(files, false);
  ASSERT_EQ(1u, plan.kept.size());
  EXPECT_NE(std::string::npos, plan.kept[0].find("override")) << plan.kept[0];
}

TEST(ContainerdConfig, AnEarlierReleasesDropInIsReplacedByTheBlock) {
  Files files = {{kMain, "version = 2\nimports = [\"" + std::string(kDropIn) + "\"]\n"},
                 {kDropIn, ContainerdDropInText(2, "oci-interceptor", kBinary, Json::Value())}};
  EnginePlan plan = Plan(files, false);
  Apply(plan, &files);
  EXPECT_EQ(0u, files.count(kDropIn));
  Json::Value main = Toml(files[kMain]);
  EXPECT_FALSE(main.isMember("imports"));
  EXPECT_EQ(kBinary, Handler(main, kPlugin2)["options"]["BinaryName"].asString());
  EXPECT_TRUE(Plan(files, false).edits.empty());
}

TEST(ContainerdConfig, ALayoutTheBlockCannotJoinIsRefusedWithTheTextToAdd) {
  // Runtimes as an inline table: a [table] header cannot extend it.
  Files files = {{kMain, "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".containerd]\n"
                         "runtimes = { runc = { runtime_type = \"io.containerd.runc.v2\" } }\n"}};
  std::string err = RefusedRegister(files);
  EXPECT_NE(std::string::npos, err.find("add this to it by hand")) << err;
  EXPECT_NE(std::string::npos, err.find("BinaryName = \"" + std::string(kBinary) + "\"")) << err;
}

TEST(ContainerdConfig, UnregisterRestoresTheMeaningAndTheBytes) {
  for (const std::string& original :
       {std::string(kDebianConfig), std::string("version = 2\nimports = [\"/etc/a.toml\"]\n"),
        std::string("version = 2\nx = 1"), std::string(kV3Config), std::string("# only\n")}) {
    Files files = {{kMain, original}};
    Apply(Plan(files, false), &files);
    EXPECT_NE(original, files[kMain]);
    Apply(Plan(files, true), &files);
    EXPECT_EQ(0u, files.count(kDropIn));
    if (original.back() == '\n') {
      EXPECT_EQ(original, files[kMain]);
    }
    EXPECT_EQ(Toml(original), Toml(files[kMain])) << original;
    EXPECT_TRUE(Plan(files, true).edits.empty());  // idempotent too
  }
}

TEST(ContainerdConfig, UnregisterRemovesAConfigRegisterCreated) {
  Files files;
  Apply(Plan(files, false), &files);
  Apply(Plan(files, true), &files);
  EXPECT_TRUE(files.empty());
}

TEST(ContainerdConfig, UnregisterWithNothingRegisteredChangesNothing) {
  Files files = {{kMain, kDebianConfig}};
  EXPECT_TRUE(Plan(files, true).edits.empty());
  EXPECT_TRUE(Plan(Files{}, true).edits.empty());
}

TEST(ContainerdConfig, UnsupportedConfigsAreRefused) {
  for (const char* text : {"version = 1\n", "[plugins.cri]\nx = 1\n", "version = 2\nimports = 3\n",
                           "version = 2\nimports = [1]\n", "version = \n"}) {
    std::string err = RefusedRegister(Files{{kMain, text}});
    EXPECT_NE(std::string::npos, err.find(kMain)) << text << ": " << err;
  }
}

TEST(ContainerdConfig, AnUnusualLayoutFallsBackToTheLibraryAndSaysSo) {
  // A quoted key: the text edit cannot find it, so its result does not parse
  // (duplicate key); the library's serialisation is used instead.
  Files files = {{kMain, "version = 3\n\"imports\" = [\"/etc/a.toml\"] # keep\n"}};
  EnginePlan plan = Plan(files, false);
  ASSERT_EQ(1u, plan.kept.size());
  EXPECT_NE(std::string::npos, plan.kept[0].find("comments")) << plan.kept[0];
  Apply(plan, &files);
  Json::Value main = Toml(files[kMain]);
  EXPECT_EQ(3, main["version"].asInt());
  ASSERT_EQ(2u, main["imports"].size());
  EXPECT_EQ(kDropIn, main["imports"][1].asString());
}

TEST(ContainerdConfig, EditTopLevelArrayTouchesOnlyItsLines) {
  std::string out;
  ASSERT_TRUE(EditTopLevelArray("a = 1\n[t]\nimports = [\"x\"]\n", "imports", {"y"}, &out));
  EXPECT_EQ("imports = [\"y\"]\na = 1\n[t]\nimports = [\"x\"]\n", out);  // not the table's key
  ASSERT_TRUE(EditTopLevelArray("version = 2", "imports", {"y"}, &out));
  EXPECT_EQ("version = 2\nimports = [\"y\"]\n", out);
  ASSERT_TRUE(EditTopLevelArray("x = \"\"\"\n[no]\n\"\"\"\nimports = []\n", "imports", {}, &out));
  EXPECT_EQ("x = \"\"\"\n[no]\n\"\"\"\n", out);
  EXPECT_FALSE(EditTopLevelArray("imports = [\n", "imports", {"y"}, &out));
}

}  // namespace
}  // namespace oci
