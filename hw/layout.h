// Where a cluster's parts stand on the floor, which sets how long each link is: nodes fill racks,
// racks fill rows; a node's GPUs, NICs and switch chips share its rack, the leaves and NVLink
// spine chips stand in a network rack of the row of the nodes they serve, the spines in a network
// row of their own. A link's length is that of its class (in one rack, along a row, between rows).
#pragma once

#include "sim/config/schema.h"

namespace strata::hw {

enum class LengthClass { in_rack, in_row, between_rows };
const char* length_class_name(LengthClass c);

struct LayoutSpec {
  int nodes_per_rack = 1;
  int racks_per_row = 8;
  double in_rack_m = 0;       ///< longest link inside one rack (a node's own links)
  double in_row_m = 0;        ///< longest link between racks of one row
  double between_rows_m = 0;  ///< longest link between rows

  int rack_of_node(int node) const { return node / nodes_per_rack; }
  int row_of_node(int node) const { return rack_of_node(node) / racks_per_row; }
  double length(LengthClass c) const;

  static const config::Schema<LayoutSpec>& schema();
};

}  // namespace strata::hw
