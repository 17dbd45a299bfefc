// One init function per binding file (openPMD-api style).
#pragma once

#include <pybind11/pybind11.h>

namespace strata::python {
void init_config(pybind11::module_& m);
void init_sweep(pybind11::module_& m);
}  // namespace strata::python
