# Every dependency comes from a Debian package; scripts/bootstrap installs them.
find_package(PkgConfig REQUIRED)
pkg_check_modules(SYSTEMC REQUIRED IMPORTED_TARGET systemc)   # libsystemc-dev
find_package(yaml-cpp REQUIRED)                                 # libyaml-cpp-dev
find_package(HDF5 REQUIRED COMPONENTS C CXX)                    # libhdf5-dev
find_package(Boost 1.74 REQUIRED)                               # libboost-graph-dev (headers)
find_package(nlohmann_json 3 REQUIRED)                          # nlohmann-json3-dev
find_package(GTest REQUIRED)                                    # libgtest-dev
find_package(benchmark REQUIRED)                                # libbenchmark-dev
if(STRATA_PYTHON)
  # Debian's interpreter sees the python3-* packages; a pyenv python3 earlier on PATH does not.
  if(NOT Python3_EXECUTABLE)
    set(Python3_EXECUTABLE /usr/bin/python3)
  endif()
  find_package(Python3 REQUIRED COMPONENTS Interpreter Development.Module)
  find_package(pybind11 CONFIG REQUIRED)                        # pybind11-dev
endif()

add_library(strata_hdf5 INTERFACE)
target_include_directories(strata_hdf5 SYSTEM INTERFACE ${HDF5_INCLUDE_DIRS})
target_link_libraries(strata_hdf5 INTERFACE ${HDF5_C_LIBRARIES})
target_compile_definitions(strata_hdf5 INTERFACE ${HDF5_DEFINITIONS})
