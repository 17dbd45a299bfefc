#include <pybind11/stl.h>

#include <cmath>

#include "python/src/bindings.h"
#include "sim/sweep/plan.h"

namespace py = pybind11;

namespace strata::python {

void init_sweep(py::module_& m) {
  m.def(
      "plan_sweep",
      [](const std::string& path) {
        sweep::SweepPlan plan = sweep::plan_sweep(path);
        py::list axes;
        for (const sweep::AxisColumn& a : plan.axes) {
          const char* kind = a.kind == sweep::AxisColumn::Kind::integer  ? "integer"
                             : a.kind == sweep::AxisColumn::Kind::number ? "number"
                                                                         : "text";
          axes.append(py::dict(py::arg("name") = a.name, py::arg("key") = a.key, py::arg("kind") = kind,
                               py::arg("unit") = a.unit));
        }
        py::list points;
        for (const sweep::Point& p : plan.points) {
          py::list values;
          for (size_t i = 0; i < p.texts.size(); ++i) {
            const sweep::AxisColumn& a = plan.axes[i];
            if (a.kind == sweep::AxisColumn::Kind::integer)
              values.append(py::int_(static_cast<long long>(p.numbers[i])));
            else if (a.kind == sweep::AxisColumn::Kind::number)
              values.append(py::float_(p.numbers[i]));
            else
              values.append(py::str(p.texts[i]));
          }
          points.append(py::dict(py::arg("index") = p.index, py::arg("values") = values,
                                 py::arg("texts") = p.texts, py::arg("scenario") = p.resolved_yaml,
                                 py::arg("error") = p.error));
        }
        return py::dict(py::arg("file") = plan.file, py::arg("name") = plan.name,
                        py::arg("description") = plan.description, py::arg("scenario") = plan.scenario,
                        py::arg("axes") = axes, py::arg("constraints") = plan.constraints,
                        py::arg("points") = points, py::arg("grid_points") = plan.grid_points,
                        py::arg("skipped") = plan.skipped);
      },
      py::arg("path"),
      "Expand a sweep file into its points (axis values, resolved scenario or the error of an "
      "invalid point); raises ConfigError with file, line, column and key on a bad file.");
}

}  // namespace strata::python
