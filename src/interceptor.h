// The pipeline: argv + config file -> settings -> invocation -> rules -> exec.
#pragma once

namespace oci {

/// Runs one invocation of oci-interceptor; returns only when it does not
/// exec the runtime (an error, or one of our own actions).
int Main(int argc, const char* const* argv);

}  // namespace oci
