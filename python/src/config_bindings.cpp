#include <pybind11/stl.h>

#include "python/src/bindings.h"
#include "sim/config/error.h"
#include "sim/engine/scenario.h"

namespace py = pybind11;

namespace strata::python {

void init_config(py::module_& m) {
  // ConfigError carries the same fields the CLI prints: file, line, column, key.
  static py::exception<config::ConfigError> config_error(m, "ConfigError", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const config::ConfigError& e) {
      PyObject* exc = config_error.ptr();
      py::object ex = py::reinterpret_borrow<py::object>(exc)(e.what());
      ex.attr("file") = e.origin().file;
      ex.attr("line") = e.origin().line;
      ex.attr("column") = e.origin().column;
      ex.attr("key") = e.key_path();
      PyErr_SetObject(exc, ex.ptr());
    }
  });
  m.def(
      "resolve_scenario",
      [](const std::string& path, const std::vector<std::string>& overrides) {
        return sim::load_scenario(path, overrides).resolved_yaml;
      },
      py::arg("path"), py::arg("overrides") = std::vector<std::string>{},
      "Validate a scenario file (with key.path=value overrides) and return its resolved YAML; "
      "raises ConfigError with file, line, column and key on bad input.");
}

}  // namespace strata::python
