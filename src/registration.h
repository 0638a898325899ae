// Registering this binary as a runtime with container engines (issue 4, 8).
#pragma once

#include <string>

namespace oci {

/// What --oi-register / --oi-unregister asked for.
struct RegistrationRequest {
  std::string engine;  // "docker", "containerd", "podman" or "crio"
  bool unregister = false;
  std::string docker_config = "/etc/docker/daemon.json";
  std::string containerd_config = "/etc/containerd/config.toml";  // drop-in: <dir>/conf.d/
  std::string podman_dir = "/etc/containers/containers.conf.d";
  std::string crio_dir = "/etc/crio/crio.conf.d";
  std::string profile;   // --oi-profile: handler oci-interceptor-NAME via a symlink
  std::string link_dir;  // where the profile's symlink goes; empty: beside the binary
  std::string runtime_name = "oci-interceptor";
  bool set_default = false;
  bool dry_run = false;
  std::string binary_path;  // absolute path of this binary
};

/// Carries out a registration request; returns the process exit status.
/// Messages go to stdout (dry-run file, what changed) and errors to stderr.
int RunRegistration(const RegistrationRequest& request);

}  // namespace oci
