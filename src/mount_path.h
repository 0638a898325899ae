// Mount destinations compared the way runc resolves them, so that
// "/etc//hosts" or "/etc/./hosts" is the same target as "/etc/hosts".
#pragma once

#include <string>
#include <string_view>

namespace oci {

/// True when path is already in the form NormalizeMountPath returns.
bool IsNormalMountPath(std::string_view path);

/// path resolved lexically inside the container's root, as runc does: taken
/// from "/", without empty or "." components, ".." removing the component
/// before it (never climbing above "/"), and no trailing slash.
std::string NormalizeMountPath(std::string_view path);

}  // namespace oci
