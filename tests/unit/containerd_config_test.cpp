// containerd registration: the drop-in, the checked text edit of imports,
// and register/unregister plans on v2 and v3 configs, all in memory.
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

const Json::Value& Handler(const Json::Value& dropin, const char* plugin) {
  return dropin["plugins"][plugin]["containerd"]["runtimes"]["oci-interceptor"];
}

TEST(ContainerdConfig, DropInPathIsConfDBesideTheMainConfig) {
  EXPECT_EQ(kDropIn, ContainerdDropInPath(kMain, "oci-interceptor"));
  EXPECT_EQ("/tmp/x/conf.d/h.toml", ContainerdDropInPath("/tmp/x/c.toml", "h"));
}

TEST(ContainerdConfig, AbsentConfigIsCreatedWithVersion2AndTheImport) {
  Files files;
  EnginePlan plan = Plan(files, false);
  ASSERT_EQ(2u, plan.edits.size());
  EXPECT_EQ(kDropIn, plan.edits[0].path);  // the drop-in first, then the import
  EXPECT_EQ(kMain, plan.edits[1].path);
  Apply(plan, &files);
  Json::Value main = Toml(files[kMain]);
  EXPECT_EQ(2, main["version"].asInt());
  ASSERT_EQ(1u, main["imports"].size());
  EXPECT_EQ(kDropIn, main["imports"][0].asString());
  Json::Value handler = Handler(Toml(files[kDropIn]), kPlugin2);
  EXPECT_EQ("io.containerd.runc.v2", handler["runtime_type"].asString());
  EXPECT_EQ(kBinary, handler["options"]["BinaryName"].asString());
  EXPECT_FALSE(handler["options"].isMember("SystemdCgroup"));
}

TEST(ContainerdConfig, EmptyConfigGetsVersionAndImport) {
  Files files = {{kMain, ""}};
  Apply(Plan(files, false), &files);
  EXPECT_EQ("version = 2\nimports = [\"" + std::string(kDropIn) + "\"]\n", files[kMain]);
}

TEST(ContainerdConfig, V2ConfigKeepsCommentsAndGetsTheImportAfterVersion) {
  Files files = {{kMain, kDebianConfig}};
  EnginePlan plan = Plan(files, false);
  EXPECT_TRUE(plan.kept.empty());
  Apply(plan, &files);
  EXPECT_EQ("version = 2\nimports = [\"" + std::string(kDropIn) + "\"]\n" +
                std::string(kDebianConfig).substr(12),
            files[kMain]);
  Json::Value expected = Toml(kDebianConfig);
  expected["imports"].append(kDropIn);
  EXPECT_EQ(expected, Toml(files[kMain]));
}

TEST(ContainerdConfig, SystemdCgroupIsCopiedFromRunc) {
  Files files = {{kMain, kDebianConfig}};
  Apply(Plan(files, false), &files);
  EXPECT_TRUE(Handler(Toml(files[kDropIn]), kPlugin2)["options"]["SystemdCgroup"].asBool());
}

TEST(ContainerdConfig, V3ConfigGetsAV3DropIn) {
  Files files = {{kMain,
                  "version = 3\n[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc."
                  "options]\nSystemdCgroup = false\n"}};
  Apply(Plan(files, false), &files);
  Json::Value dropin = Toml(files[kDropIn]);
  EXPECT_EQ(3, dropin["version"].asInt());
  EXPECT_EQ(kBinary, Handler(dropin, kPlugin3)["options"]["BinaryName"].asString());
  EXPECT_FALSE(Handler(dropin, kPlugin3)["options"]["SystemdCgroup"].asBool());
  EXPECT_TRUE(Handler(dropin, kPlugin2).isNull());
  EXPECT_EQ(kDropIn, Toml(files[kMain])["imports"][0].asString());
}

TEST(ContainerdConfig, ExistingImportsAreExtended) {
  Files files = {{kMain, "version = 2\nimports = [\n  \"/etc/a.toml\", # first\n  \"/etc/]b.toml\",\n]\n"}};
  Apply(Plan(files, false), &files);
  Json::Value main = Toml(files[kMain]);
  ASSERT_EQ(3u, main["imports"].size());
  EXPECT_EQ("/etc/]b.toml", main["imports"][1].asString());
  EXPECT_EQ(kDropIn, main["imports"][2].asString());
}

TEST(ContainerdConfig, AGlobThatCoversTheDropInLeavesTheConfigAlone) {
  for (const char* import : {"/etc/containerd/conf.d/*.toml", "conf.d/*.toml"}) {
    Files files = {{kMain, std::string("version = 2\nimports = [\"") + import + "\"]\n"}};
    EnginePlan plan = Plan(files, false);
    ASSERT_EQ(1u, plan.edits.size()) << import;
    EXPECT_EQ(kDropIn, plan.edits[0].path);
  }
}

TEST(ContainerdConfig, RegisterIsIdempotent) {
  Files files = {{kMain, kDebianConfig}};
  Apply(Plan(files, false), &files);
  EXPECT_TRUE(Plan(files, false).edits.empty());
}

TEST(ContainerdConfig, OurDropInWithAnotherBinaryIsUpdated) {
  Files files = {{kMain, kDebianConfig}};
  Apply(Plan(files, false, "/opt/old/oci-interceptor"), &files);
  EnginePlan plan = Plan(files, false);
  ASSERT_EQ(1u, plan.edits.size());
  EXPECT_EQ("updated handler 'oci-interceptor'", plan.edits[0].change);
}

TEST(ContainerdConfig, ADropInThatIsNotOursIsNeitherReplacedNorRemoved) {
  Files files = {{kMain, kDebianConfig},
                 {kDropIn, "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes."
                           "oci-interceptor.options]\nBinaryName = \"/usr/bin/other\"\n"}};
  ContainerdFiles input{Existing(files, kMain), Existing(files, kDropIn)};
  EnginePlan plan;
  std::string err;
  EXPECT_FALSE(PlanContainerd(input, "oci-interceptor", kBinary, false, IsOurs, &plan, &err));
  EXPECT_NE(std::string::npos, err.find("not ours")) << err;
  EnginePlan removal = Plan(files, true);
  EXPECT_TRUE(removal.edits.empty());
  ASSERT_EQ(1u, removal.kept.size());
}

TEST(ContainerdConfig, AHandlerInTheMainConfigIsReported) {
  Files files = {{kMain, "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes."
                         "oci-interceptor]\nruntime_type = \"io.containerd.runc.v2\"\n"}};
  EnginePlan plan = Plan(files, false);
  ASSERT_EQ(1u, plan.kept.size());
  EXPECT_NE(std::string::npos, plan.kept[0].find("override")) << plan.kept[0];
}

TEST(ContainerdConfig, UnregisterRestoresTheMeaningAndTheBytes) {
  for (const std::string& original :
       {std::string(kDebianConfig), std::string("version = 2\nimports = [\"/etc/a.toml\"]\n"),
        std::string("version = 3\n")}) {
    Files files = {{kMain, original}};
    Apply(Plan(files, false), &files);
    Apply(Plan(files, true), &files);
    EXPECT_EQ(0u, files.count(kDropIn));
    EXPECT_EQ(original, files[kMain]);
    EXPECT_EQ(Toml(original), Toml(files[kMain]));
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
    Files files = {{kMain, text}};
    ContainerdFiles input{Existing(files, kMain), Existing(files, kDropIn)};
    EnginePlan plan;
    std::string err;
    EXPECT_FALSE(PlanContainerd(input, "oci-interceptor", kBinary, false, IsOurs, &plan, &err))
        << text;
    EXPECT_NE(std::string::npos, err.find(kMain)) << err;
    EXPECT_TRUE(plan.edits.empty());
  }
}

TEST(ContainerdConfig, AnUnusualLayoutFallsBackToTheLibraryAndSaysSo) {
  // A quoted key: the text edit cannot find it, so its result does not parse
  // (duplicate key); the library's serialisation is used instead.
  Files files = {{kMain, "version = 2\n\"imports\" = [\"/etc/a.toml\"] # keep\n"}};
  EnginePlan plan = Plan(files, false);
  ASSERT_EQ(1u, plan.kept.size());
  EXPECT_NE(std::string::npos, plan.kept[0].find("comments")) << plan.kept[0];
  Apply(plan, &files);
  Json::Value main = Toml(files[kMain]);
  EXPECT_EQ(2, main["version"].asInt());
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
