// The entry point of the core module, for the C launcher (dlsym by name).
#include "interceptor.h"

extern "C" __attribute__((visibility("default"))) int oci_interceptor_core_main(
    int argc, const char* const* argv) {
  return oci::Main(argc, argv);
}
