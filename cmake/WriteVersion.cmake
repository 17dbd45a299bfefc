execute_process(COMMAND git describe --always --dirty --tags
                WORKING_DIRECTORY ${GIT_DIR}
                OUTPUT_VARIABLE STRATA_GIT_DESCRIBE
                OUTPUT_STRIP_TRAILING_WHITESPACE
                ERROR_QUIET)
if(NOT STRATA_GIT_DESCRIBE)
  set(STRATA_GIT_DESCRIBE "unknown")
endif()
configure_file(${SRC} ${DST} @ONLY)
