#include "hw/layout.h"

namespace strata::hw {
using config::Dim;
using config::Schema;

const char* length_class_name(LengthClass c) {
  switch (c) {
    case LengthClass::in_rack: return "in_rack";
    case LengthClass::in_row: return "in_row";
    case LengthClass::between_rows: return "between_rows";
  }
  return "?";
}

double LayoutSpec::length(LengthClass c) const {
  switch (c) {
    case LengthClass::in_rack: return in_rack_m;
    case LengthClass::in_row: return in_row_m;
    case LengthClass::between_rows: return between_rows_m;
  }
  return 0;
}

const Schema<LayoutSpec>& LayoutSpec::schema() {
  static const Schema<LayoutSpec> s = [] {
    Schema<LayoutSpec> s("layout", "Racks and rows the cluster stands in: they set each link's length");
    s.integer("nodes_per_rack", &LayoutSpec::nodes_per_rack, "Nodes in one rack (an NVL72 node is a rack: 1)")
        .def("1").min(1).max(1024);
    s.integer("racks_per_row", &LayoutSpec::racks_per_row,
              "Compute racks in one row (DGX SuperPOD: one scalable unit of 8 racks per row, U)")
        .def("8").min(1).max(4096);
    s.quantity("in_rack", &LayoutSpec::in_rack_m, Dim::length,
               "Longest link inside a rack (NVL72: ~2 miles of copper in >5,000 cables, so ~0.6 m on "
               "average, U)")
        .def("1 m").positive();
    s.quantity("in_row", &LayoutSpec::in_row_m, Dim::length,
               "Longest link between racks of a row: node to the row's leaves or NVLink spine (U: \"a few to "
               "dozens of meters\" within a DGX SuperPOD scalable unit, shke.com.cn SuperPOD cabling note)")
        .def("30 m").positive();
    s.quantity("between_rows", &LayoutSpec::between_rows_m, Dim::length,
               "Longest link between rows: leaf to spine, or a node to a leaf of another row (U: leaf to spine "
               "\"hundreds of meters\", the same note)")
        .def("300 m").positive();
    s.check([](const LayoutSpec& l, const config::Checker& k) {
      if (l.in_row_m < l.in_rack_m) k.fail("in_row", "a row's links are at least as long as a rack's");
      if (l.between_rows_m < l.in_row_m) k.fail("between_rows", "links between rows are at least as long as a row's");
    });
    return s;
  }();
  return s;
}

}  // namespace strata::hw
