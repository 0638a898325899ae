# %post (install and upgrade): register with Docker (idempotent, so an
# upgrade changes nothing) and ask a running dockerd to reload.
/usr/libexec/oci-interceptor/docker-hook register || :
/usr/libexec/oci-interceptor/engines-hook register || :
