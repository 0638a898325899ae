// containerd's config: a drop-in declaring our runtime handler, and the main
// config's `imports` extended to load it. Pure functions, no I/O
// (engine_registration.cpp reads and writes the files).
#pragma once

#include <string>
#include <vector>

#include <json/value.h>

#include "engine_plan.h"

namespace oci {

/// What registering with containerd starts from.
struct ContainerdFiles {
  ExistingFile main;    // config.toml
  ExistingFile dropin;  // ContainerdDropInPath(main.path, handler)
};

/// <directory of main_config>/conf.d/HANDLER.toml.
std::string ContainerdDropInPath(const std::string& main_config, const std::string& handler);

/// The CRI runtime plugin's name in a config of that schema version:
/// "io.containerd.grpc.v1.cri" (2) or "io.containerd.cri.v1.runtime" (3).
std::string ContainerdCriPlugin(int version);

/// A CRI runtime's tables in a config of that version: runtime_type
/// io.containerd.runc.v2, then options BinaryName (unless binary is empty)
/// and, when systemd_cgroup is a bool, SystemdCgroup.
std::string ContainerdRuntimeTables(int version, const std::string& name,
                                    const std::string& binary, const Json::Value& systemd_cgroup);

/// The drop-in: version, then the handler's runtime_type io.containerd.runc.v2
/// and options BinaryName and, when systemd_cgroup is a bool, SystemdCgroup.
std::string ContainerdDropInText(int version, const std::string& handler,
                                 const std::string& binary, const Json::Value& systemd_cgroup);

/// text with the top-level `key = [...]` replaced by values (inserted after
/// `version` when absent, its lines removed when values is empty), touching
/// no other line. False when the layout is not one this edit understands.
bool EditTopLevelArray(const std::string& text, const std::string& key,
                       const std::vector<std::string>& values, std::string* out);

/// Plans register (drop-in, then imports) or unregister (imports, then
/// drop-in). Fails, planning nothing, on a main config that is not TOML, has
/// a schema version other than 2 or 3, or whose imports is not a string list.
bool PlanContainerd(const ContainerdFiles& files, const std::string& handler,
                    const std::string& binary, bool unregister,
                    const IsThisBinary& is_this_binary, EnginePlan* plan, std::string* err);

}  // namespace oci
