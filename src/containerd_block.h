// Our runtime handler as a marked block at the end of a version 2
// config.toml. containerd 1.x merges an imported file's plugin table over
// the main one's whole (containerd#5837), so a drop-in holding only our
// handler would drop the host's CRI settings and its runc runtime; the
// block keeps everything in one table. Pure functions, no I/O.
#pragma once

#include <string>

#include <json/value.h>

namespace oci {

/// The block: begin marker, "version = 2" when add_version (only for a
/// config without tables, so it stays top level), runc's default runtime
/// when add_runc (a config that names any runtime replaces containerd's
/// default ones, runc included), our handler with BinaryName and, when
/// systemd_cgroup is a bool, SystemdCgroup; end marker.
std::string ContainerdBlockText(const std::string& handler, const std::string& binary,
                                const Json::Value& systemd_cgroup, bool add_runc,
                                bool add_version);

/// Where our block for handler is in text, [*begin, *end), with the blank
/// line that separates it from what precedes; false when there is none.
bool FindContainerdBlock(const std::string& text, const std::string& handler, size_t* begin,
                         size_t* end);

}  // namespace oci
