#include "python/src/bindings.h"
#include "sim/engine/run.h"

PYBIND11_MODULE(_core, m) {
  m.doc() = "strata simulator core (C++)";
  m.def("version", [] { return strata::sim::strata_version(); }, "strata version");
  m.def("git_describe", [] { return strata::sim::strata_git_describe(); }, "git revision of the build");
  strata::python::init_config(m);
  strata::python::init_sweep(m);
}
