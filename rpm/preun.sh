# %preun: on erase ($1 = 0), not on upgrade, remove our entry from Docker's
# daemon.json (and default-runtime if it names it), then reload dockerd.
if [ "$1" -eq 0 ]; then
    /usr/libexec/oci-interceptor/docker-hook unregister || :
    /usr/libexec/oci-interceptor/engines-hook unregister || :
fi
