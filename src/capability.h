// Linux capability names, as the OCI runtime spec spells them (CAP_X).
#pragma once

#include <string>
#include <vector>

namespace oci {

/// Every capability the kernel defines, in bit order.
const std::vector<std::string>& KnownCapabilities();

/// Accepts a capability name with or without the CAP_ prefix, in any case,
/// and returns it as CAP_X; unknown names are an error naming the value.
bool NormalizeCapability(const std::string& text, std::string* name, std::string* err);

}  // namespace oci
