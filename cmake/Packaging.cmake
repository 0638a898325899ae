# Man pages, documentation, the Docker hook of the package scripts, and CPack
# (.deb and .rpm). Included by the top CMakeLists.txt after the binary target.
# debian/ (dpkg-buildpackage) and rpm/oci-interceptor.spec (rpmbuild) build
# the same packages from these install rules and the same maintainer scripts.

set(OI_DOCDIR ${CMAKE_INSTALL_DATAROOTDIR}/doc/oci-interceptor)
set(OI_PACKAGING_DIR ${CMAKE_CURRENT_BINARY_DIR}/packaging)
file(MAKE_DIRECTORY ${OI_PACKAGING_DIR})

# gzip -9n: compressed as Debian policy asks, reproducibly (no name, no time).
find_program(OI_GZIP gzip REQUIRED)
function(oi_gzip source output)
  add_custom_command(OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -E copy ${source} ${output}.tmp
    COMMAND ${OI_GZIP} -9nf ${output}.tmp
    COMMAND ${CMAKE_COMMAND} -E rename ${output}.tmp.gz ${output}
    DEPENDS ${source} VERBATIM)
endfunction()

set(OI_GZIPPED)
foreach(page oci-interceptor.8 oci-interceptor.conf.5)
  string(REGEX REPLACE ".*\\.([0-9])$" "\\1" section ${page})
  oi_gzip(${CMAKE_CURRENT_SOURCE_DIR}/man/${page} ${OI_PACKAGING_DIR}/${page}.gz)
  list(APPEND OI_GZIPPED ${OI_PACKAGING_DIR}/${page}.gz)
  install(FILES ${OI_PACKAGING_DIR}/${page}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
endforeach()
oi_gzip(${CMAKE_CURRENT_SOURCE_DIR}/debian/changelog ${OI_PACKAGING_DIR}/changelog.gz)
list(APPEND OI_GZIPPED ${OI_PACKAGING_DIR}/changelog.gz)
add_custom_target(oi_gzipped_docs ALL DEPENDS ${OI_GZIPPED})

install(FILES README.md LICENSE-MIT LICENSE-APACHE debian/copyright
              ${OI_PACKAGING_DIR}/changelog.gz
        DESTINATION ${OI_DOCDIR})
install(DIRECTORY contrib/docker contrib/kubernetes DESTINATION ${OI_DOCDIR}/examples)
# The package scripts' shared logic: register/unregister, reload dockerd.
install(PROGRAMS packaging/docker-hook.sh DESTINATION libexec/oci-interceptor RENAME docker-hook)
install(PROGRAMS packaging/engines-hook.sh DESTINATION libexec/oci-interceptor RENAME engines-hook)

# --- CPack -----------------------------------------------------------------
set(CPACK_PACKAGE_NAME oci-interceptor)
set(CPACK_PACKAGE_VENDOR "oci-interceptor developers")
set(CPACK_PACKAGE_CONTACT
    "oci-interceptor developers <maintainers@users.noreply.r-seed-0dbb0f9a.example>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY ${PROJECT_DESCRIPTION})
set(CPACK_PACKAGE_HOMEPAGE_URL "https://github.com/oci-interceptor/oci-interceptor")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB RPM)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

# The long description is debian/control's, so both packages say the same.
file(READ ${CMAKE_CURRENT_SOURCE_DIR}/debian/control OI_CONTROL)
string(REGEX REPLACE ".*\nDescription: [^\n]*\n" "" OI_DESCRIPTION "${OI_CONTROL}")
string(REGEX REPLACE "\n[^ ].*" "" OI_DESCRIPTION "${OI_DESCRIPTION}")
string(REGEX REPLACE "(^|\n) \\.?" "\\1" OI_DESCRIPTION "${OI_DESCRIPTION}")
string(STRIP "${OI_DESCRIPTION}" CPACK_PACKAGE_DESCRIPTION)

# /etc/oci-interceptor.conf is a conffile: an operator's edits survive upgrades.
file(WRITE ${OI_PACKAGING_DIR}/conffiles "/etc/oci-interceptor.conf\n")

# DEB: dependencies from the linked libraries (dpkg-shlibdeps) plus libsystemd,
# which the journald log target dlopen()s.
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS libsystemd0)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS runc)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# debian/'s maintainer scripts, minus the #DEBHELPER# token dh_installdeb expands.
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${OI_PACKAGING_DIR}/conffiles)
foreach(script postinst prerm postrm)
  file(READ ${CMAKE_CURRENT_SOURCE_DIR}/debian/${script} OI_SCRIPT)
  string(REPLACE "#DEBHELPER#\n\n" "" OI_SCRIPT "${OI_SCRIPT}")
  file(WRITE ${OI_PACKAGING_DIR}/${script} "${OI_SCRIPT}")
  list(APPEND CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${OI_PACKAGING_DIR}/${script})
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
               ${CMAKE_CURRENT_SOURCE_DIR}/debian/${script})
endforeach()

# RPM: automatic requires from the linked libraries plus libsystemd by soname
# (provided by systemd-libs), the way Fedora asks dlopen()ed libraries to be
# required.
set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
set(CPACK_RPM_PACKAGE_DESCRIPTION ${CPACK_PACKAGE_DESCRIPTION})
set(CPACK_RPM_PACKAGE_LICENSE "MIT OR Apache-2.0")
set(CPACK_RPM_PACKAGE_GROUP "System Environment/Base")
set(CPACK_RPM_PACKAGE_URL ${CPACK_PACKAGE_HOMEPAGE_URL})
set(CPACK_RPM_PACKAGE_AUTOREQ ON)
if(CMAKE_SIZEOF_VOID_P EQUAL 8)
  set(CPACK_RPM_PACKAGE_REQUIRES "libsystemd.so.0()(64bit)")
else()
  set(CPACK_RPM_PACKAGE_REQUIRES "libsystemd.so.0")
endif()
# CPack has no variable for Recommends or Packager; preamble lines do it.
set(CPACK_RPM_SPEC_MORE_DEFINE "Recommends: runc\nPackager: ${CPACK_PACKAGE_CONTACT}")
set(CPACK_RPM_USER_FILELIST "%config(noreplace) /etc/oci-interceptor.conf")
set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
    /usr/share/man /usr/share/man/man5 /usr/share/man/man8)
set(CPACK_RPM_POST_INSTALL_SCRIPT_FILE ${CMAKE_CURRENT_SOURCE_DIR}/rpm/post.sh)
set(CPACK_RPM_PRE_UNINSTALL_SCRIPT_FILE ${CMAKE_CURRENT_SOURCE_DIR}/rpm/preun.sh)
set(CPACK_RPM_POST_UNINSTALL_SCRIPT_FILE ${CMAKE_CURRENT_SOURCE_DIR}/rpm/postun.sh)
# The changelog is the spec's, so rpmbuild and cpack packages say the same.
file(READ ${CMAKE_CURRENT_SOURCE_DIR}/rpm/oci-interceptor.spec OI_SPEC)
string(REGEX REPLACE ".*\n%changelog\n" "" OI_RPM_CHANGELOG "${OI_SPEC}")
file(WRITE ${OI_PACKAGING_DIR}/rpm-changelog "${OI_RPM_CHANGELOG}")
set(CPACK_RPM_CHANGELOG_FILE ${OI_PACKAGING_DIR}/rpm-changelog)

set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${CMAKE_CURRENT_SOURCE_DIR}/debian/control ${CMAKE_CURRENT_SOURCE_DIR}/rpm/oci-interceptor.spec)

include(CPack)
