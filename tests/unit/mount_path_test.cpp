#include "mount_path.h"

#include <gtest/gtest.h>

namespace oci {
namespace {

struct PathCase {
  const char* path;
  const char* normal;
};

// What runc mounts onto, for the spellings a bundle may hold.
const PathCase kCases[] = {
    {"/etc/hosts", "/etc/hosts"},
    {"/etc//hosts", "/etc/hosts"},
    {"//etc/hosts", "/etc/hosts"},
    {"/etc/hosts/", "/etc/hosts"},
    {"/etc/./hosts", "/etc/hosts"},
    {"etc/hosts", "/etc/hosts"},
    {"/etc/x/../hosts", "/etc/hosts"},
    {"/../../etc/hosts", "/etc/hosts"},
    {"/etc/hosts/..", "/etc"},
    {"/", "/"},
    {"", "/"},
    {".", "/"},
    {"..", "/"},
    {"/etc/hosts.d", "/etc/hosts.d"},
    {"/etc/..hosts", "/etc/..hosts"},
    {"/etc/.hosts", "/etc/.hosts"},
};

TEST(MountPathTest, NormalizesAsRuncResolves) {
  for (const PathCase& c : kCases) {
    EXPECT_EQ(NormalizeMountPath(c.path), c.normal) << c.path;
  }
}

TEST(MountPathTest, NormalFormIsRecognisedAndOnlyIt) {
  for (const PathCase& c : kCases) {
    EXPECT_EQ(IsNormalMountPath(c.path), std::string(c.path) == c.normal) << c.path;
    EXPECT_TRUE(IsNormalMountPath(NormalizeMountPath(c.path))) << c.path;
  }
}

}  // namespace
}  // namespace oci
