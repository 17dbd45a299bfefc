#include "sim/engine/bom_report.h"

namespace strata::sim {
using results::Column;
using results::Scalar;
using results::Table;

void add_bom_report(results::Result& r, const models::BillOfMaterials& bom, int gpus) {
  std::vector<std::string> item, category, place, medium, cls, speed;
  std::vector<int64_t> count, links, in_node;
  std::vector<double> length, unit_power, power, unit_price, price;
  for (const models::BomRow& x : bom.rows) {
    item.push_back(x.item), category.push_back(x.category), place.push_back(x.place), medium.push_back(x.medium);
    cls.push_back(x.length_class), length.push_back(x.length_m), speed.push_back(x.port_speed);
    count.push_back(x.count), links.push_back(x.links), in_node.push_back(x.in_node);
    unit_power.push_back(x.unit_power_w), unit_price.push_back(x.unit_price_usd);
    power.push_back(x.in_node ? 0.0 : x.count * x.unit_power_w);
    price.push_back(x.in_node ? 0.0 : x.count * x.unit_price_usd);
  }
  Table t{"network/bom",
          "Bill of materials of the cluster's network, counted from its topology: switch chips and boxes, NICs, "
          "and per link kind its links, cables and end modules",
          {}};
  t.columns = {
      Column{"item", "", "Switch, NIC, link kind or item name", item},
      Column{"category", "", "switch_chip, switch_box, nic, link, or the item kind (copper_cable, active_copper_cable, "
                             "fibre, transceiver, linear_transceiver, optical_engine)", category},
      Column{"place", "", "Switch tier (node_switch, nvlink_spine, leaf, spine), node (NICs), or a link's ends "
                          "(gpu-node_switch, gpu-nic, node_switch-nvlink_spine, nic-leaf, leaf-spine)", place},
      Column{"medium", "", "Link medium (copper, board, dsp_optics, linear_optics, copackaged_optics)", medium},
      Column{"length_class", "", "in_rack, in_row or between_rows (cluster.layout)", cls},
      Column{"length", "m", "Length of the class: the longest such link", length},
      Column{"port_speed", "", "Data rate of one link, or a switch's or NIC's port rate (400G, 800G, 1.6T)", speed},
      Column{"count", "1", "Items (for links: links; for modules: modules, a twin-port one serving two ports)", count},
      Column{"links", "1", "Links these items serve", links},
      Column{"in_node", "1", "1: part of a node (its power is in hardware.node_overhead_power, its price in the node's)",
             in_node},
      Column{"unit_power", "W", "Power of one item (switch chips: as installed, without pluggables)", unit_power},
      Column{"power", "W", "count x unit_power, outside nodes (0 in a node)", power},
      Column{"unit_price", "USD", "Price of one item", unit_price},
      Column{"price", "USD", "count x unit_price, outside nodes (0 in a node)", price},
  };
  const double n = gpus > 0 ? gpus : 1;
  std::vector<Scalar> add = {
      {"network_power", bom.power_w, "W",
       "Rated power of the network outside the nodes: switches, link end modules, active cables (/network/bom)"},
      {"network_capital", bom.capital_usd, "USD", "Price of the network outside the nodes (/network/bom)"},
      {"network_power_per_gpu", bom.power_w / n, "W", "network_power / GPUs"},
      {"network_capital_per_gpu", bom.capital_usd / n, "USD", "network_capital / GPUs"},
      {"network_links", double(bom.links), "1", "Links of the topology, those inside nodes included"},
      {"switch_chips", double(bom.switch_chips), "1", "Switch chips, the nodes' own included"},
      {"network_switch_chips", double(bom.network_switch_chips), "1", "Switch chips outside the nodes"},
      {"switch_boxes", double(bom.switch_boxes), "1", "Switch boxes and trays"},
      {"nics", double(bom.nics), "1", "Network adapters"},
      {"transceivers", double(bom.transceivers), "1", "Pluggable optical modules (with a DSP or linear)"},
      {"optical_engines", double(bom.optical_engines), "1", "Co-packaged optical engines (one per switch port)"},
      {"copper_cables", double(bom.copper_cables), "1", "Copper cables (NVLink copper spine: one per pair)"},
      {"fibres", double(bom.fibres), "1", "Optical fibre cables"},
      {"transceivers_per_gpu", bom.transceivers / n, "1", "transceivers / GPUs"},
      {"optical_engines_per_gpu", bom.optical_engines / n, "1", "optical_engines / GPUs"},
  };
  r.summary.insert(r.summary.end(), add.begin(), add.end());
  r.tables.push_back(std::move(t));
}

}  // namespace strata::sim
