# The module boundaries of docs/ARCHITECTURE.md, enforced by the build.
#
# pinhole_forbid_qt(target) walks the target's whole link closure once generation knows it and
# fails the build if any Qt library is in it, so server/ and sync/ can't pick up Qt by accident
# (through a direct link or through another library that links Qt).
function(pinhole_forbid_links target)
  set(patterns ${ARGN})
  get_target_property(libs ${target} LINK_LIBRARIES)
  if(NOT libs)
    return()
  endif()
  foreach(lib IN LISTS libs)
    foreach(pattern IN LISTS patterns)
      if(lib MATCHES "${pattern}")
        message(FATAL_ERROR "${target} must not link ${lib} (module boundary, see docs/ARCHITECTURE.md)")
      endif()
    endforeach()
    if(TARGET ${lib})
      pinhole_forbid_links(${lib} ${patterns})
    endif()
  endforeach()
endfunction()

# pinhole_forbid(target pattern...): checked at the end of configuration, once every target has
# its links. (DEFER evaluates variables late, so the call is built as code now.)
function(pinhole_forbid target)
  set(args "")
  foreach(pattern IN LISTS ARGN)
    string(APPEND args " [[${pattern}]]")
  endforeach()
  cmake_language(EVAL CODE
    "cmake_language(DEFER DIRECTORY [[${CMAKE_SOURCE_DIR}]] CALL pinhole_forbid_links [[${target}]] ${args})")
endfunction()

function(pinhole_forbid_qt target)
  pinhole_forbid(${target} "^Qt[0-9]*::" "Qt6")
endfunction()
