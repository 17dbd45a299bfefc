#include "models/network/bill_of_materials.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <unordered_map>

#include "sim/config/units.h"

namespace strata::models {
using hw::BomItemSpec;
using hw::LengthClass;

namespace {

/// One link kind may serve ends that differ a little (a NIC's single-port module against a
/// switch's share of a twin-port one): its energy per bit must be within this of each use.
constexpr double kEnergyTolerance = 0.05;

std::string show(double v, config::Dim d) { return config::format_display(v, d); }

/// A link or lane rate as it is quoted: "200 Gb/s".
std::string gbps(double bytes_per_s) {
  char b[32];
  std::snprintf(b, sizeof b, "%g Gb/s", bytes_per_s * 8 / 1e9);
  return b;
}

bool is_switch(VertexKind k) {
  return k == VertexKind::node_switch || k == VertexKind::nvlink_spine || k == VertexKind::leaf ||
         k == VertexKind::spine;
}

bool optical(hw::LinkMedium m) {
  return m == hw::LinkMedium::dsp_optics || m == hw::LinkMedium::linear_optics ||
         m == hw::LinkMedium::copackaged_optics;
}

/// The switch a tier's vertices are built from.
const hw::SwitchSpec& switch_of(VertexKind k, const hw::HardwareSpec& node, const hw::ClusterSpec& cluster) {
  switch (k) {
    case VertexKind::nvlink_spine: return cluster.nvlink_domain.tiers.at(0).switch_chip;
    case VertexKind::leaf: return cluster.fabric.tiers.at(0).switch_chip;
    case VertexKind::spine: return cluster.fabric.tiers.at(1).switch_chip;
    default: return node.scale_up.switch_chip;
  }
}

/// Rows in first-seen order, found again by their identity.
class Rows {
 public:
  size_t at(const BomRow& r) {
    const std::string key = r.item + '\n' + r.category + '\n' + r.place + '\n' + r.length_class + '\n' + r.port_speed +
                            '\n' + (r.in_node ? "1" : "0");
    auto [it, fresh] = index_.emplace(key, rows_.size());
    if (fresh) rows_.push_back(r);
    return it->second;
  }
  BomRow& operator[](size_t i) { return rows_[i]; }
  std::vector<BomRow> take() { return std::move(rows_); }

 private:
  std::vector<BomRow> rows_;
  std::unordered_map<std::string, size_t> index_;
};

/// Where a vertex stands: its node (-1 for network switches) and its row (-1: the spine row).
struct Position {
  int node = -1;
  int row = -1;
};

std::vector<Position> positions(const Topology& t, const hw::LayoutSpec& layout) {
  const std::vector<TopoVertex>& vs = t.vertices();
  std::vector<Position> p(vs.size());
  for (size_t v = 0; v < vs.size(); ++v) {
    switch (vs[v].kind) {
      case VertexKind::gpu:
      case VertexKind::nic:
      case VertexKind::node_switch: p[v] = {vs[v].node, layout.row_of_node(vs[v].node)}; break;
      case VertexKind::nvlink_spine:  // with the domain's nodes, in the row of its first one
        p[v] = {-1, layout.row_of_node(vs[v].domain * (t.gpus_per_domain() / t.gpus_per_node()))};
        break;
      case VertexKind::leaf:  // with the nodes it serves, in the row of the first one
      case VertexKind::spine: p[v] = {-1, -1}; break;
    }
  }
  for (const TopoEdge& e : t.edges())
    if (vs[e.a].kind == VertexKind::nic && vs[e.b].kind == VertexKind::leaf)
      p[e.b].row = p[e.b].row < 0 ? p[e.a].row : std::min(p[e.b].row, p[e.a].row);
  return p;
}

LengthClass length_class(const Position& a, const Position& b) {
  if (a.node >= 0 && a.node == b.node) return LengthClass::in_rack;
  if (a.row >= 0 && a.row == b.row) return LengthClass::in_row;
  return LengthClass::between_rows;
}

/// The module at an end of `link` that sits at vertex kind `k` (none at a GPU).
const BomItemSpec* end_item(const hw::LinkSpec& link, VertexKind k) {
  if (k == VertexKind::nic) return &link.build.nic_end;
  if (is_switch(k)) return &link.build.switch_end;
  return nullptr;
}

/// Checks one link kind where it is used; throws BomError.
void check_link(const Topology& t, const TopoEdge& e, const std::string& key, const hw::LayoutSpec& layout,
                LengthClass cls, const BomItemSpec* ends[2]) {
  const hw::LinkSpec& l = e.link;
  const std::vector<TopoVertex>& vs = t.vertices();
  const std::string what = vs[e.a].name + "-" + vs[e.b].name + " (" + l.name + ", " + hw::link_medium_name(l.medium) + ")";
  const int at[2] = {e.a, e.b};
  for (int i = 0; i < 2; ++i)
    if (optical(l.medium) && ends[i] && !ends[i]->present())
      throw BomError(key, "link " + what + " has no module at its " + vertex_kind_name(vs[at[i]].kind) + " end (" +
                              key + ".build." + (vs[at[i]].kind == VertexKind::nic ? "nic_end" : "switch_end") + ")");
  // Reach: the shortest of the medium's and its items'.
  double reach = l.reach_m;
  std::string limit = "the medium at " + gbps(l.lane_rate_bytes_per_s) + " per lane";
  const BomItemSpec* items[3] = {&l.build.cable, ends[0], ends[1]};
  for (const BomItemSpec* it : items) {
    if (!it || !it->present()) continue;
    if (it->reach_m > 0 && (reach <= 0 || it->reach_m < reach)) reach = it->reach_m, limit = "its " + it->name;
    if (it->lane_rate_bytes_per_s > 0 && l.lane_rate_bytes_per_s > it->lane_rate_bytes_per_s * (1 + 1e-9))
      throw BomError(key, "link " + what + " signals " + gbps(l.lane_rate_bytes_per_s) + " per lane, but its " +
                              it->name + " is built for " + gbps(it->lane_rate_bytes_per_s));
  }
  const double length = layout.length(cls);
  if (reach > 0 && length > reach * (1 + 1e-9))
    throw BomError(key, "link " + what + " runs " + hw::length_class_name(cls) + ", " + show(length, config::Dim::length) +
                            " (cluster.layout), beyond the " + show(reach, config::Dim::length) + " reach of " + limit +
                            "; use a medium that reaches it (an optical link preset) or change cluster.layout");
  // A link's energy per bit is its ends' power: P per link over both directions at the data rate.
  double watts = 0;
  for (int i = 0; i < 2; ++i)
    if (ends[i] && ends[i]->present()) watts += ends[i]->power_w / ends[i]->ports;
  const BomItemSpec& cable = l.build.cable;
  if (cable.present()) watts += cable.power_w * (cable.per_pair ? 2.0 * l.lanes : 1.0);
  if (watts <= 0) return;
  const double expected = watts / (2 * l.data_rate() * 8);
  if (std::fabs(l.energy_per_bit_j - expected) > kEnergyTolerance * expected)
    throw BomError(key + ".energy_per_bit",
                   "link " + what + ": energy_per_bit " + show(l.energy_per_bit_j, config::Dim::energy_per_bit) +
                       " disagrees with the power of its items: " + show(watts, config::Dim::power) +
                       " per link over both directions at " + gbps(l.data_rate()) + " is " +
                       show(expected, config::Dim::energy_per_bit) + " (they must agree within 5%)");
}

}  // namespace

std::string port_speed(double bytes_per_s) {
  const double gbps = bytes_per_s * 8 / 1e9;
  char b[32];
  if (gbps >= 1000)
    std::snprintf(b, sizeof b, "%gT", std::round(gbps / 100) / 10);
  else
    std::snprintf(b, sizeof b, "%.0fG", gbps);
  return b;
}

std::string link_config_key(const Topology& t, const TopoEdge& e) {
  const VertexKind a = t.vertices()[e.a].kind, b = t.vertices()[e.b].kind;
  if (a == VertexKind::gpu && b == VertexKind::nic) return "hardware.scale_out.nic.host_link";
  if (a == VertexKind::gpu) return "hardware.scale_up.link";
  if (b == VertexKind::nvlink_spine) return "cluster.nvlink_domain.tiers.0.link";
  if (b == VertexKind::leaf) return "cluster.fabric.tiers.0.link";
  return "cluster.fabric.tiers.1.link";
}

BillOfMaterials bill_of_materials(const Topology& t, const hw::HardwareSpec& node, const hw::ClusterSpec& cluster) {
  const std::vector<TopoVertex>& vs = t.vertices();
  const hw::LayoutSpec& layout = cluster.layout;
  Rows rows;

  // Switch chips and their boxes, tier by tier (vertex order), then NICs.
  for (const TopoVertex& v : vs) {
    if (!is_switch(v.kind)) continue;
    const hw::SwitchSpec& sw = switch_of(v.kind, node, cluster);
    const bool in_node = v.kind == VertexKind::node_switch;
    BomRow chip{sw.name, "switch_chip", vertex_kind_name(v.kind), "", "", 0, port_speed(sw.port_rate_bytes_per_s),
                0, 0, in_node, sw.power_w, sw.price_usd};
    rows[rows.at(chip)].count += v.chips;
    BomRow box = chip;
    box.item = sw.box.empty() ? sw.name + " box" : sw.box;
    box.category = "switch_box";
    box.unit_power_w = box.unit_price_usd = 0;  // counted on the chips
    rows[rows.at(box)].count += (v.chips + sw.chips_per_box - 1) / sw.chips_per_box;
  }
  const hw::NicSpec& nic = node.scale_out.nic;
  for (const TopoVertex& v : vs)
    if (v.kind == VertexKind::nic)
      rows[rows.at(BomRow{nic.name, "nic", "node", "", "", 0, port_speed(nic.port_rate_bytes_per_s), 0, 0, true, 0, 0})]
          .count += 1;

  // Links, their cables, and the ports their end modules take at each vertex.
  const std::vector<Position> pos = positions(t, layout);
  std::map<std::pair<int, size_t>, int64_t> end_ports;  // (vertex, row) -> ports
  std::map<size_t, int> item_ports;                    // row -> links one module serves
  for (const TopoEdge& e : t.edges()) {
    const hw::LinkSpec& l = e.link;
    const LengthClass cls = length_class(pos[e.a], pos[e.b]);
    const BomItemSpec* ends[2] = {end_item(l, vs[e.a].kind), end_item(l, vs[e.b].kind)};
    const std::string key = link_config_key(t, e);
    check_link(t, e, key, layout, cls, ends);
    BomRow link{l.name,
                "link",
                std::string(vertex_kind_name(vs[e.a].kind)) + "-" + vertex_kind_name(vs[e.b].kind),
                hw::link_medium_name(l.medium),
                hw::length_class_name(cls),
                layout.length(cls),
                port_speed(l.data_rate()),
                0,
                0,
                cls == LengthClass::in_rack,
                0,
                0};
    BomRow& lr = rows[rows.at(link)];
    lr.count += e.links, lr.links += e.links;
    const BomItemSpec& cable = l.build.cable;
    if (cable.present()) {
      BomRow c = link;
      c.item = cable.name, c.category = hw::bom_item_kind_name(cable.kind);
      c.unit_power_w = cable.power_w, c.unit_price_usd = cable.price_usd;
      BomRow& cr = rows[rows.at(c)];
      cr.count += cable.per_pair ? int64_t(e.links) * l.lanes * 2 : e.links;
      cr.links += e.links;
    }
    for (int i = 0; i < 2; ++i) {
      if (!ends[i] || !ends[i]->present()) continue;
      BomRow m = link;
      m.item = ends[i]->name, m.category = hw::bom_item_kind_name(ends[i]->kind);
      m.unit_power_w = ends[i]->power_w, m.unit_price_usd = ends[i]->price_usd;
      const size_t r = rows.at(m);
      rows[r].links += e.links;
      end_ports[{i == 0 ? e.a : e.b, r}] += e.links;
      item_ports[r] = ends[i]->ports;
    }
  }
  // A vertex fills whole modules: a twin-port module serves two of its ports, whichever links
  // they lead to. Full modules go to each row; the ports left over share modules, counted on the
  // first rows that have them.
  BillOfMaterials bom;
  bom.rows = rows.take();
  std::map<std::pair<int, std::string>, std::vector<std::pair<size_t, int64_t>>> at_vertex;  // (vertex, item)
  for (auto [at, ports] : end_ports) at_vertex[{at.first, bom.rows[at.second].item}].push_back({at.second, ports});
  for (const auto& [key, uses] : at_vertex) {
    const int per = item_ports.at(uses.front().first);
    int64_t leftover = 0;
    for (auto [row, ports] : uses) bom.rows[row].count += ports / per, leftover += ports % per;
    for (auto [row, ports] : uses)
      if (ports % per && leftover > 0) ++bom.rows[row].count, leftover -= per;
  }
  for (const BomRow& r : bom.rows) {
    if (!r.in_node) {
      bom.power_w += r.count * r.unit_power_w;
      bom.capital_usd += r.count * r.unit_price_usd;
    }
    if (r.category == "link") bom.links += r.count;
    if (r.category == "switch_chip") {
      bom.switch_chips += r.count;
      if (!r.in_node) bom.network_switch_chips += r.count;
    }
    if (r.category == "switch_box") bom.switch_boxes += r.count;
    if (r.category == "nic") bom.nics += r.count;
    if (r.category == "transceiver" || r.category == "linear_transceiver") bom.transceivers += r.count;
    if (r.category == "optical_engine") bom.optical_engines += r.count;
    if (r.category == "copper_cable" || r.category == "active_copper_cable") bom.copper_cables += r.count;
    if (r.category == "fibre") bom.fibres += r.count;
  }
  return bom;
}

}  // namespace strata::models
