# sim/version.h carries the project version and `git describe`, refreshed at every build
# (configure_file rewrites it only when the text changes, so nothing rebuilds needlessly).
add_custom_target(strata_version_header ALL
  COMMAND ${CMAKE_COMMAND}
          -DSRC=${CMAKE_SOURCE_DIR}/sim/version.h.in
          -DDST=${CMAKE_BINARY_DIR}/generated/sim/version.h
          -DPROJECT_VERSION=${PROJECT_VERSION}
          -DGIT_DIR=${CMAKE_SOURCE_DIR}
          -P ${CMAKE_SOURCE_DIR}/cmake/WriteVersion.cmake
  BYPRODUCTS ${CMAKE_BINARY_DIR}/generated/sim/version.h
  COMMENT "Stamping version")
