# Install rules and CPack: two Debian packages, built by `make package` into build/packages/.
#   pinhole-server (component server): pinholed, /etc/pinhole/pinholed.toml (a conffile), the
#     hardened systemd unit, maintainer scripts that create the user pinhole and /var/lib/pinhole
#     (removed only on purge), pinholed(8), the administrator's docs.
#   pinhole (component app): the desktop app, pinhole-cli when that target exists, the .desktop
#     launcher, hicolor icons (SVG and PNG sizes), AppStream metainfo, man pages, the user guide.
# Library dependencies come from dpkg-shlibdeps; runtime-only ones (QML modules, adduser) are
# listed here. A package description's first line is its synopsis; CPack indents the other
# lines for the control file and turns an empty one into " .". `make test-package` (packaging/test-packages.sh) checks what this produces.
# Included last from the top-level CMakeLists.txt, so every target it installs exists.
set(PINHOLE_PACKAGING_DIR ${PROJECT_SOURCE_DIR}/packaging)
set(pkgdir ${PINHOLE_PACKAGING_DIR})
set(gendir ${PROJECT_BINARY_DIR}/packaging)
set(CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

# Files Debian wants compressed (man pages, the changelog) and the PNG icons, rendered from the
# SVG with libvips: generated in the build tree by the `pinhole_package_files` target.
set(generated)
function(pinhole_gzip source output)
  add_custom_command(OUTPUT ${output} COMMAND gzip -9nc ${source} > ${output} DEPENDS ${source} VERBATIM)
  set(generated ${generated} ${output} PARENT_SCOPE)
endfunction()

# ---- pinhole-server ----------------------------------------------------------------------
install(TARGETS pinholed RUNTIME DESTINATION bin COMPONENT server)
install(FILES ${pkgdir}/pinholed.toml DESTINATION /etc/pinhole COMPONENT server)
install(FILES ${pkgdir}/systemd/pinholed.service DESTINATION /lib/systemd/system COMPONENT server)
pinhole_gzip(${pkgdir}/man/pinholed.8 ${gendir}/pinholed.8.gz)
install(FILES ${gendir}/pinholed.8.gz DESTINATION share/man/man8 COMPONENT server)
pinhole_gzip(${pkgdir}/changelog ${gendir}/changelog.Debian.gz)
foreach(doc admin-guide.md configuration.md operations.md)
  install(FILES ${PROJECT_SOURCE_DIR}/docs/${doc} DESTINATION share/doc/pinhole-server COMPONENT server)
endforeach()
install(FILES ${pkgdir}/copyright ${gendir}/changelog.Debian.gz DESTINATION share/doc/pinhole-server
        COMPONENT server)

# ---- pinhole -----------------------------------------------------------------------------
if(TARGET pinhole)
  install(TARGETS pinhole RUNTIME DESTINATION bin COMPONENT app)
  pinhole_gzip(${pkgdir}/man/pinhole.1 ${gendir}/pinhole.1.gz)
  install(FILES ${gendir}/pinhole.1.gz DESTINATION share/man/man1 COMPONENT app)
  if(TARGET pinhole-cli)
    install(TARGETS pinhole-cli RUNTIME DESTINATION bin COMPONENT app)
    pinhole_gzip(${pkgdir}/man/pinhole-cli.1 ${gendir}/pinhole-cli.1.gz)
    install(FILES ${gendir}/pinhole-cli.1.gz DESTINATION share/man/man1 COMPONENT app)
  endif()
  install(FILES ${pkgdir}/desktop/org.pinhole.Pinhole.desktop DESTINATION share/applications COMPONENT app)
  install(FILES ${pkgdir}/desktop/org.pinhole.Pinhole.metainfo.xml DESTINATION share/metainfo COMPONENT app)
  set(icon ${pkgdir}/desktop/icons/org.pinhole.Pinhole.svg)
  install(FILES ${icon} DESTINATION share/icons/hicolor/scalable/apps COMPONENT app)
  foreach(size 16 22 24 32 48 64 128 256 512)
    set(png ${gendir}/icons/${size}x${size}/org.pinhole.Pinhole.png)
    add_custom_command(OUTPUT ${png}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${gendir}/icons/${size}x${size}
      COMMAND vips thumbnail ${icon} ${png} ${size} --size both
      DEPENDS ${icon} VERBATIM)
    list(APPEND generated ${png})
    install(FILES ${png} DESTINATION share/icons/hicolor/${size}x${size}/apps COMPONENT app)
  endforeach()
  install(FILES ${PROJECT_SOURCE_DIR}/docs/user-guide.md DESTINATION share/doc/pinhole COMPONENT app)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/images/user-guide DESTINATION share/doc/pinhole/images
          COMPONENT app)
  install(FILES ${pkgdir}/copyright ${gendir}/changelog.Debian.gz DESTINATION share/doc/pinhole COMPONENT app)
endif()

add_custom_target(pinhole_package_files ALL DEPENDS ${generated})

# ---- CPack -------------------------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME pinhole)
set(CPACK_PACKAGE_VENDOR "The Pinhole developers")
set(CPACK_PACKAGE_CONTACT "The Pinhole developers <pinhole@example.org>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL server)
if(TARGET pinhole)
  list(APPEND CPACK_COMPONENTS_ALL app)
endif()
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://pinhole.example.org")
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_SERVER_PACKAGE_NAME pinhole-server)
set(CPACK_DEBIAN_SERVER_PACKAGE_SECTION net)
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "adduser, init-system-helpers (>= 1.54~)")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
    ${pkgdir}/debian/pinhole-server/postinst ${pkgdir}/debian/pinhole-server/prerm
    ${pkgdir}/debian/pinhole-server/postrm ${pkgdir}/debian/pinhole-server/conffiles)
set(CPACK_DEBIAN_SERVER_DESCRIPTION "self-hosted photo-sharing server
Pinhole is a self-hosted photo-sharing system. This package provides pinholed,
the server: the Mastodon client API, Pinhole's own API for uploads and sync,
and the media files, with SQLite and libvips underneath.

It runs as the hardened systemd service pinholed under the system user
pinhole, configured in /etc/pinhole/pinholed.toml, with its data in
/var/lib/pinhole (kept on remove, deleted on purge).")

set(CPACK_DEBIAN_APP_PACKAGE_NAME pinhole)
set(CPACK_DEBIAN_APP_PACKAGE_SECTION graphics)
# The QML modules the app imports at run time (qml/, app/): dpkg-shlibdeps cannot see these.
set(CPACK_DEBIAN_APP_PACKAGE_DEPENDS
    "qml6-module-qtquick, qml6-module-qtquick-controls, qml6-module-qtquick-layouts, qml6-module-qtquick-templates, qml6-module-qtquick-window, qml6-module-qtqml-workerscript, qml6-module-qtquick-dialogs")
set(CPACK_DEBIAN_APP_DESCRIPTION "photo library and sharing app for Pinhole servers
Pinhole is a self-hosted photo-sharing system. This package provides the
desktop app (Qt Quick): a local photo library that works offline and syncs
with a Pinhole server, and the command-line client when it is built.")

include(CPack)
