# %postun: on erase ($1 = 0) remove the debug output directory the runtime
# created (RPM has no purge; it may hold container configs), nothing else.
if [ "$1" -eq 0 ]; then
    rm -rf /var/log/oci-interceptor
fi
