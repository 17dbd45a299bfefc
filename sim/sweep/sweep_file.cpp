#include "sim/sweep/sweep_file.h"

namespace strata::sweep {
using config::Dim;
using config::Schema;

const Schema<RangeSpec>& RangeSpec::schema() {
  static const Schema<RangeSpec> s = [] {
    Schema<RangeSpec> s("range", "Evenly spaced (step) or geometric (times) values, both ends included");
    s.number("from", &RangeSpec::from, "First value");
    s.number("to", &RangeSpec::to, "Last value (included when the steps land on it)");
    s.number("step", &RangeSpec::step, "Added between values (give step or times)").def("0").min(0);
    s.number("times", &RangeSpec::times, "Factor between values (give step or times)").def("0").min(0);
    s.text("unit", &RangeSpec::unit, "Unit appended to each value, e.g. MHz").def("\"\"");
    s.check([](const RangeSpec& r, const config::Checker& k) {
      if ((r.step > 0) == (r.times > 0)) k.fail("step", "give exactly one of step (> 0) or times (> 1)");
      if (r.times > 0 && r.times <= 1) k.fail("times", "must be greater than 1");
      if (r.times > 0 && r.from <= 0) k.fail("from", "a geometric range starts above 0");
      if (r.to < r.from) k.fail("to", "must not be below from");
    });
    return s;
  }();
  return s;
}

const Schema<SampleSpec>& SampleSpec::schema() {
  static const Schema<SampleSpec> s = [] {
    Schema<SampleSpec> s("sample", "Seeded random values (the sweep's seed)");
    s.integer("count", &SampleSpec::count, "How many values").min(1).max(100000);
    s.number("from", &SampleSpec::from, "Lower end");
    s.number("to", &SampleSpec::to, "Upper end");
    s.choice("scale", &SampleSpec::scale, {{"linear", Scale::linear}, {"log", Scale::log}},
             "linear: uniform; log: uniform in the logarithm").def("linear");
    s.boolean("integer", &SampleSpec::integer, "Round each value to an integer").def("false");
    s.text("unit", &SampleSpec::unit, "Unit appended to each value, e.g. GHz").def("\"\"");
    s.check([](const SampleSpec& x, const config::Checker& k) {
      if (x.to < x.from) k.fail("to", "must not be below from");
      if (x.scale == Scale::log && x.from <= 0) k.fail("from", "a log scale starts above 0");
    });
    return s;
  }();
  return s;
}

const Schema<AxisSpec>& AxisSpec::schema() {
  static const Schema<AxisSpec> s = [] {
    Schema<AxisSpec> s("axis", "One swept key, or a zip of axes that advance together");
    s.text("key", &AxisSpec::key, "Key path in the scenario, e.g. parallel.ep").def("\"\"");
    s.text("name", &AxisSpec::name, "Column name in the summary (default: the key)").def("\"\"");
    s.raw("values", &AxisSpec::values, "List of values, written as in a scenario").def("~");
    s.raw("range", &AxisSpec::range, "Numbers by step or factor (see range)").def("~");
    s.raw("sample", &AxisSpec::sample, "Seeded random numbers (see sample)").def("~");
    s.raw("zip", &AxisSpec::zip, "Axes of equal length that advance together").def("~");
    return s;
  }();
  return s;
}

const Schema<SweepSpec>& SweepSpec::schema() {
  static const Schema<SweepSpec> s = [] {
    Schema<SweepSpec> s("sweep", "A base scenario and the axes along which it varies");
    s.text("name", &SweepSpec::name, "Short name of the sweep");
    s.text("description", &SweepSpec::description, "One line on what the sweep shows").def("\"\"");
    s.text("scenario", &SweepSpec::scenario, "Base scenario file, relative to this file");
    s.raw("overrides", &SweepSpec::overrides, "key.path: value set on every point, before the axes")
        .def("{}");
    s.list("axes", &SweepSpec::axes, "The axes; points are their grid product, first axis slowest");
    s.integer("samples", &SweepSpec::samples, "If > 0, that many distinct grid points drawn at random")
        .def("0").min(0).max(10000000);
    s.integer("seed", &SweepSpec::seed, "Seed of sample draws").def("1").min(0);
    s.raw("constraints", &SweepSpec::constraints,
          "Expressions every point must satisfy; points where one is false are skipped")
        .def("[]");
    return s;
  }();
  return s;
}

}  // namespace strata::sweep
