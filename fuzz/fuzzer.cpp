// The libFuzzer entry point of every fuzz target. CMake builds it once per
// target with OI_FUZZ_ENTRY naming that target's entry in fuzz_entries.h.
#include <cstdio>
#include <cstdlib>

#include "fuzz_entries.h"

#define OI_STRINGIFY2(x) #x
#define OI_STRINGIFY(x) OI_STRINGIFY2(x)

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string violation = oci::fuzz::OI_FUZZ_ENTRY(oci::fuzz::Bytes(data, size));
  if (!violation.empty()) {
    std::fprintf(stderr, "%s: invariant violated: %s\n", OI_STRINGIFY(OI_FUZZ_ENTRY),
                 violation.c_str());
    std::abort();
  }
  return 0;
}
