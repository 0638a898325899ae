// Registration with containerd, podman and CRI-O (drop-in files), and
// --oi-profile for every engine: the I/O around the pure plans of
// containerd_config, podman_config and crio_config.
#pragma once

#include "registration.h"

namespace oci {

/// Carries out a request for containerd, podman or crio, or one with a
/// profile for any engine (docker's file edit is then RunRegistration's);
/// returns the process exit status. Stdout: the would-be files on
/// --oi-dry-run, else what changed; errors on stderr.
int RunEngineRegistration(const RegistrationRequest& request);

}  // namespace oci
