// podman and CRI-O drop-ins: written, parsed back, kept when not ours; and
// the names registration accepts.
#include <string>

#include <gtest/gtest.h>

#include "crio_config.h"
#include "podman_config.h"
#include "engine_test_util.h"
#include "toml_document.h"

namespace oci {
namespace {


using test::IsOurs;
using test::kBinary;
using test::Toml;

ExistingFile File(const std::string& path, const char* text) {
  ExistingFile file;
  file.path = path;
  file.exists = text != nullptr;
  file.text = text ? text : "";
  return file;
}

using PlanFunction = bool (*)(const ExistingFile&, const std::string&, const std::string&, bool,
                              const IsThisBinary&, EnginePlan*, std::string*);

EnginePlan Plan(PlanFunction plan_function, const ExistingFile& file, bool unregister) {
  EnginePlan plan;
  std::string err;
  EXPECT_TRUE(plan_function(file, "oci-interceptor", kBinary, unregister, IsOurs, &plan, &err))
      << err;
  return plan;
}

TEST(PodmanConfig, DropInParsesBackToTheRuntime) {
  EXPECT_EQ("/d/oi.conf", PodmanDropInPath("/d", "oi"));
  Json::Value parsed = Toml(PodmanDropInText("oci-interceptor", "/usr/bin/a \"b\""));
  ASSERT_EQ(1u, parsed["engine"]["runtimes"]["oci-interceptor"].size());
  EXPECT_EQ("/usr/bin/a \"b\"", parsed["engine"]["runtimes"]["oci-interceptor"][0].asString());
}

TEST(CrioConfig, DropInParsesBackToTheHandler) {
  EXPECT_EQ("/d/50-oi.conf", CrioDropInPath("/d", "oi"));
  Json::Value handler =
      Toml(CrioDropInText("oci-interceptor.x", kBinary))["crio"]["runtime"]["runtimes"]
                                                        ["oci-interceptor.x"];
  EXPECT_EQ(kBinary, handler["runtime_path"].asString());
  EXPECT_EQ("oci", handler["runtime_type"].asString());
}

TEST(EngineDropIn, RegisterWritesThenIsIdempotentUnregisterRemoves) {
  for (PlanFunction plan_function : {PlanPodman, PlanCrio}) {
    EnginePlan first = Plan(plan_function, File("/d/f", nullptr), false);
    ASSERT_EQ(1u, first.edits.size());
    EXPECT_FALSE(first.edits[0].remove);
    std::string text = first.edits[0].content;
    EXPECT_TRUE(Plan(plan_function, File("/d/f", text.c_str()), false).edits.empty());
    EnginePlan removal = Plan(plan_function, File("/d/f", text.c_str()), true);
    ASSERT_EQ(1u, removal.edits.size());
    EXPECT_TRUE(removal.edits[0].remove);
    EXPECT_TRUE(Plan(plan_function, File("/d/f", nullptr), true).edits.empty());
  }
}

TEST(EngineDropIn, AForeignFileIsRefusedAndKept) {
  struct Case {
    PlanFunction plan_function;
    const char* foreign;
  };
  for (const Case& c : {Case{PlanPodman, "[engine.runtimes]\noci-interceptor = [\"/bin/x\"]\n"},
                        Case{PlanCrio, "[crio.runtime.runtimes.oci-interceptor]\n"
                                       "runtime_path = \"/bin/x\"\n"}}) {
    EnginePlan plan;
    std::string err;
    EXPECT_FALSE(c.plan_function(File("/d/f", c.foreign), "oci-interceptor", kBinary, false,
                                 IsOurs, &plan, &err));
    EXPECT_NE(std::string::npos, err.find("not ours")) << err;
    EnginePlan removal = Plan(c.plan_function, File("/d/f", c.foreign), true);
    EXPECT_TRUE(removal.edits.empty());
    EXPECT_EQ(1u, removal.kept.size());
  }
}

TEST(EngineDropIn, AHandWrittenFileForThisBinaryIsOurs) {
  EnginePlan plan = Plan(PlanPodman, File("/d/f", "[engine.runtimes]\noci-interceptor = "
                                                  "[\"/usr/bin/oci-interceptor\"]\n"), true);
  ASSERT_EQ(1u, plan.edits.size());
  EXPECT_TRUE(plan.edits[0].remove);
}

TEST(EngineDropIn, InvalidTomlIsRefused) {
  EnginePlan plan;
  std::string err;
  EXPECT_FALSE(PlanCrio(File("/d/f", "[crio"), "oci-interceptor", kBinary, true, IsOurs, &plan,
                        &err));
  EXPECT_NE(std::string::npos, err.find("/d/f is not valid TOML")) << err;
  EXPECT_NE(std::string::npos, err.find("line 1")) << err;
}

TEST(EngineDropIn, Names) {
  EXPECT_TRUE(IsValidRuntimeName("oci-interceptor"));
  EXPECT_TRUE(IsValidRuntimeName("oci_interceptor.2"));
  for (const char* bad : {"", "-x", ".x", "a/b", "a b", "a\"b"}) EXPECT_FALSE(IsValidRuntimeName(bad)) << bad;
  EXPECT_TRUE(IsValidProfileName("strict"));
  EXPECT_TRUE(IsValidProfileName("no-proxy-2"));
  for (const char* bad : {"", "Strict", "-a", "a-", "a.b", "a_b", "a/b"}) {
    EXPECT_FALSE(IsValidProfileName(bad)) << bad;
  }
  EXPECT_FALSE(IsValidProfileName(std::string(48, 'a')));
}

}  // namespace
}  // namespace oci
