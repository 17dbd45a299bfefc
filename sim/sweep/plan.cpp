#include "sim/sweep/plan.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <random>

#include "sim/config/loader.h"
#include "sim/engine/scenario.h"
#include "sim/sweep/expression.h"
#include "sim/sweep/sweep_file.h"
#include "workloads/routing.h"

namespace strata::sweep {
namespace fs = std::filesystem;
using config::ConfigError;
using config::Node;
using config::Origin;

namespace {

constexpr size_t kMaxGrid = 10'000'000;   ///< largest grid a `samples:` draw picks from
constexpr size_t kMaxPoints = 1'000'000;  ///< largest full grid
constexpr size_t kMaxAxisValues = 100'000;

/// One swept key with its values (value nodes keep their sweep-file positions).
struct Column {
  AxisColumn info;
  std::vector<Node> values;
  std::vector<std::string> texts;
};

/// Axes that advance together: a plain axis is a dimension of one column, a zip of several.
struct Dimension {
  std::vector<Column> columns;
  size_t size() const { return columns.front().values.size(); }
};

/// Compact one-line YAML of a value, for the summary ("1.6 GHz", "[1, 2]", "{base: x.yaml}").
std::string compact(const Node& n) {
  switch (n.kind) {
    case Node::Kind::null: return "~";
    case Node::Kind::scalar: return n.scalar;
    case Node::Kind::seq: {
      std::string s = "[";
      for (size_t i = 0; i < n.items.size(); ++i) s += (i ? ", " : "") + compact(n.items[i]);
      return s + "]";
    }
    case Node::Kind::map: {
      std::string s = "{";
      for (size_t i = 0; i < n.entries.size(); ++i)
        s += (i ? ", " : "") + n.entries[i].key + ": " + compact(n.entries[i].value);
      return s + "}";
    }
  }
  return "";
}

std::string number_text(double v, bool integer) {
  if (integer) return std::to_string(static_cast<long long>(v));
  return config::format_number(v);
}

bool integral(double v) { return std::fabs(v) < 9.0e15 && v == std::floor(v); }

void add_value(Column& c, const std::string& text, const Origin& o) {
  c.values.push_back(Node::make_scalar(text, o));
  c.texts.push_back(text);
}

std::string with_unit(const std::string& number, const std::string& unit) {
  return unit.empty() ? number : number + " " + unit;
}

/// The item of `list` (a sequence) at `i`, or null.
const Node* item_at(const Node* list, size_t i) {
  return list && list->is_seq() && i < list->items.size() ? &list->items[i] : nullptr;
}

const Node* child_of(const Node* map, const std::string& key) { return map && map->is_map() ? map->find(key) : nullptr; }

/// `raw` is the same axis as written, before `base:` files were merged in, so a preset value
/// is shown as `{base: ../hw/h200-sxm.yaml}` rather than the whole hardware description.
Column make_column(const AxisSpec& a, const Node& item, const Node* raw, const std::string& path, uint64_t seed,
                   size_t column_index) {
  Column c;
  int given = !a.values.is_null() + !a.range.is_null() + !a.sample.is_null() + !a.zip.is_null();
  if (given != 1 || !a.zip.is_null())
    throw ConfigError(item.origin, path, "an axis has exactly one of values, range or sample"
                                         " (or is a zip: of axes)");
  if (a.key.empty()) throw ConfigError(item.origin, path + ".key", "missing: which scenario key the axis sets");
  c.info.key = a.key;
  c.info.name = a.name.empty() ? a.key : a.name;
  if (!a.values.is_null()) {
    if (!a.values.is_seq() || a.values.items.empty())
      throw ConfigError(a.values.origin, path + ".values", "expected a non-empty list, got " + describe(a.values));
    const Node* written = child_of(raw, "values");
    bool same = written && written->is_seq() && written->items.size() == a.values.items.size();
    for (size_t i = 0; i < a.values.items.size(); ++i) {
      c.values.push_back(a.values.items[i]);
      c.texts.push_back(compact(same ? written->items[i] : a.values.items[i]));
    }
  } else if (!a.range.is_null()) {
    RangeSpec r = RangeSpec::schema().bind(a.range, path + ".range");
    bool ints = integral(r.from) && integral(r.step) && integral(r.times);
    const double slack = 1e-9 * std::max(std::fabs(r.from), std::fabs(r.to));
    double v = r.from;
    for (size_t i = 0; v <= r.to + slack; ++i) {
      if (c.values.size() >= kMaxAxisValues)
        throw ConfigError(a.range.origin, path + ".range", "more than " + std::to_string(kMaxAxisValues) + " values");
      add_value(c, with_unit(number_text(v, ints), r.unit), a.range.origin);
      // Values are computed from the start, not accumulated, so no rounding drift.
      v = r.step > 0 ? r.from + double(i + 1) * r.step : v * r.times;
    }
  } else {
    SampleSpec sp = SampleSpec::schema().bind(a.sample, path + ".sample");
    std::mt19937_64 rng(workloads::derive_seed(seed, 1, column_index));
    for (int i = 0; i < sp.count; ++i) {
      double u = workloads::uniform_unit(rng);
      double v = sp.scale == Scale::log ? std::exp(std::log(sp.from) + u * (std::log(sp.to) - std::log(sp.from)))
                                        : sp.from + u * (sp.to - sp.from);
      if (sp.integer) v = std::round(v);
      add_value(c, with_unit(number_text(v, sp.integer), sp.unit), a.sample.origin);
    }
  }
  return c;
}

/// Decides a column's kind from its values: integers, numbers or quantities of one dimension
/// (stored in base units), otherwise text.
void classify(Column& c) {
  std::vector<std::optional<Number>> nums;
  for (size_t i = 0; i < c.values.size(); ++i) {
    const Node& v = c.values[i];
    nums.push_back(v.is_scalar() ? read_number(v.scalar) : std::nullopt);
  }
  bool all = std::all_of(nums.begin(), nums.end(), [](auto& n) { return n.has_value(); });
  bool one_dim = all && std::all_of(nums.begin(), nums.end(), [&](auto& n) { return n->dim == nums[0]->dim; });
  if (!one_dim) {
    c.info.kind = AxisColumn::Kind::text;
    c.info.unit = "";
    return;
  }
  config::Dim d = nums[0]->dim;
  bool ints = d == config::Dim::none &&
              std::all_of(nums.begin(), nums.end(), [](auto& n) { return integral(n->value); });
  c.info.kind = ints ? AxisColumn::Kind::integer : AxisColumn::Kind::number;
  c.info.unit = d == config::Dim::none ? "1" : config::base_unit(d);
}

double column_number(const Column& c, size_t i) {
  if (c.info.kind == AxisColumn::Kind::text) return std::numeric_limits<double>::quiet_NaN();
  return read_number(c.values[i].scalar)->value;
}

std::vector<Dimension> read_axes(const SweepSpec& spec, const Node& tree, const Node& raw_tree) {
  std::vector<Dimension> dims;
  const Node& list = *tree.find("axes");
  const Node* raw_list = child_of(&raw_tree, "axes");
  size_t column_index = 0;
  for (size_t i = 0; i < spec.axes.size(); ++i) {
    const AxisSpec& a = spec.axes[i];
    const Node& item = list.items[i];
    std::string path = "axes." + std::to_string(i);
    Dimension d;
    if (!a.zip.is_null()) {
      if (!a.key.empty() || !a.values.is_null() || !a.range.is_null() || !a.sample.is_null())
        throw ConfigError(item.origin, path, "a zip: entry holds only the zipped axes (and no key or values)");
      if (!a.zip.is_seq() || a.zip.items.size() < 2)
        throw ConfigError(a.zip.origin, path + ".zip", "expected a list of at least two axes");
      for (size_t j = 0; j < a.zip.items.size(); ++j) {
        std::string p = path + ".zip." + std::to_string(j);
        AxisSpec z = AxisSpec::schema().bind(a.zip.items[j], p);
        if (!z.zip.is_null()) throw ConfigError(z.zip.origin, p + ".zip", "zips do not nest");
        const Node* raw = item_at(child_of(item_at(raw_list, i), "zip"), j);
        d.columns.push_back(make_column(z, a.zip.items[j], raw, p, uint64_t(spec.seed), column_index++));
        if (d.columns.back().values.size() != d.columns.front().values.size())
          throw ConfigError(a.zip.items[j].origin, p,
                            "zipped axes need equal lengths: this one has " +
                                std::to_string(d.columns.back().values.size()) + " values, the first " +
                                std::to_string(d.columns.front().values.size()));
      }
    } else {
      d.columns.push_back(make_column(a, item, item_at(raw_list, i), path, uint64_t(spec.seed), column_index++));
    }
    dims.push_back(std::move(d));
  }
  if (dims.empty()) throw ConfigError(list.origin, "axes", "a sweep needs at least one axis");
  std::vector<std::string> names;
  for (Dimension& d : dims)
    for (Column& c : d.columns) {
      classify(c);
      if (std::find(names.begin(), names.end(), c.info.name) != names.end())
        throw ConfigError(list.origin, "axes", "two axes are named '" + c.info.name + "'; give one a name:");
      names.push_back(c.info.name);
    }
  return dims;
}

const Node* find_path(const Node& root, const std::string& path) {
  const Node* cur = &root;
  size_t start = 0;
  while (cur) {
    size_t dot = path.find('.', start);
    std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (cur->is_map()) {
      cur = cur->find(part);
    } else if (cur->is_seq()) {
      char* end = nullptr;
      unsigned long i = std::strtoul(part.c_str(), &end, 10);
      cur = (*end == '\0' && !part.empty() && i < cur->items.size()) ? &cur->items[i] : nullptr;
    } else {
      return nullptr;
    }
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return cur;
}

void list_keys(const Node& n, const std::string& prefix, std::vector<std::string>& out) {
  if (n.is_map())
    for (const config::Entry& e : n.entries) list_keys(e.value, config::join_path(prefix, e.key), out);
  else if (!prefix.empty())
    out.push_back(prefix);
}

}  // namespace

SweepPlan plan_sweep(const std::string& path) {
  Node tree = config::load_tree(path);
  SweepSpec spec = SweepSpec::schema().bind(tree);
  SweepPlan plan;
  plan.file = path;
  plan.name = spec.name;
  plan.description = spec.description;
  plan.scenario = (fs::path(path).parent_path() / spec.scenario).lexically_normal().string();
  if (!fs::is_regular_file(plan.scenario))
    throw ConfigError(tree.find("scenario")->origin, "scenario",
                      "cannot open scenario file '" + plan.scenario + "' (paths are relative to the sweep file)");

  // `base:` inside axis values and overrides was resolved (relative to the sweep file) when the
  // sweep file was read, so values are complete trees here.
  Node base = config::load_tree(plan.scenario);
  if (!spec.overrides.is_map())
    throw ConfigError(spec.overrides.origin, "overrides", "expected a mapping of key.path: value");
  for (const config::Entry& e : spec.overrides.entries) config::set_at_path(base, e.key, e.value, e.value.origin);

  Origin self;
  self.file = path;
  std::vector<Dimension> dims = read_axes(spec, tree, config::read_yaml_file(path, self));
  std::vector<const Column*> columns;
  for (const Dimension& d : dims)
    for (const Column& c : d.columns) {
      columns.push_back(&c);
      plan.axes.push_back(c.info);
    }

  std::vector<Expression> constraints;
  if (!spec.constraints.is_seq())
    throw ConfigError(spec.constraints.origin, "constraints", "expected a list of expressions");
  for (size_t i = 0; i < spec.constraints.items.size(); ++i) {
    const Node& c = spec.constraints.items[i];
    std::string key = "constraints." + std::to_string(i);
    if (!c.is_scalar()) throw ConfigError(c.origin, key, "expected an expression, got " + describe(c));
    constraints.emplace_back(c.scalar, c.origin, key);
    plan.constraints.push_back(c.scalar);
  }

  size_t grid = 1;
  for (const Dimension& d : dims) {
    if (grid > kMaxGrid / d.size())
      throw ConfigError(tree.find("axes")->origin, "axes",
                        "the grid has more than " + std::to_string(kMaxGrid) + " points");
    grid *= d.size();
  }
  plan.grid_points = grid;
  if (spec.samples == 0 && grid > kMaxPoints)
    throw ConfigError(tree.find("axes")->origin, "axes",
                      "the grid has " + std::to_string(grid) + " points (at most " + std::to_string(kMaxPoints) +
                          " run in full); draw a subset with samples: N");

  // Candidate grid indices: all in order, or a seeded shuffle from which the first `samples`
  // points that pass the constraints are kept (then put back in grid order).
  std::vector<size_t> order(grid);
  for (size_t i = 0; i < grid; ++i) order[i] = i;
  std::mt19937_64 rng(workloads::derive_seed(uint64_t(spec.seed), 2, 0));
  size_t wanted = spec.samples > 0 ? std::min<size_t>(size_t(spec.samples), grid) : grid;

  std::vector<std::string> names;
  for (const Column* c : columns) names.push_back(c->info.name);
  std::vector<std::pair<size_t, Point>> kept;
  for (size_t n = 0; n < grid && kept.size() < wanted; ++n) {
    if (spec.samples > 0) std::swap(order[n], order[n + workloads::uniform_below(rng, grid - n)]);
    size_t g = order[n];
    // Axis value indices, the first axis slowest.
    std::vector<size_t> at(dims.size());
    for (size_t d = dims.size(), rest = g; d-- > 0;) at[d] = rest % dims[d].size(), rest /= dims[d].size();
    Point p;
    Node t = base;
    for (size_t d = 0; d < dims.size(); ++d)
      for (const Column& c : dims[d].columns) {
        const Node& v = c.values[at[d]];
        config::set_at_path(t, c.info.key, v, v.origin);
        p.texts.push_back(c.texts[at[d]]);
        p.numbers.push_back(column_number(c, at[d]));
      }
    const Node* values_from = &t;
    sim::LoadedScenario sc;
    try {
      sc = sim::bind_scenario(t, plan.scenario);
      p.resolved_yaml = sc.resolved_yaml;
      values_from = &sc.resolved;
    } catch (const ConfigError& e) {
      // An axis key no scenario has is a mistake in the sweep file, whatever the value.
      for (const Dimension& d : dims)
        for (const Column& c : d.columns)
          if (e.key_path() == c.info.key && e.message().rfind("unknown key", 0) == 0) throw;
      p.error = e.what();
    }
    std::vector<std::string> known = names;  // for a "did you mean" in constraint errors
    if (!constraints.empty()) list_keys(*values_from, "", known);
    Lookup lookup = [&](const std::string& name) -> std::optional<Value> {
      std::string key = name;
      for (const Column* c : columns)
        if (c->info.name == name) key = c->info.key;
      const Node* v = find_path(*values_from, key);
      if (!v || !v->is_scalar()) return std::nullopt;
      if (!v->quoted)
        if (auto num = read_number(v->scalar)) return Value(num->value);
      if (v->scalar == "true" || v->scalar == "false") return Value(v->scalar == "true" ? 1.0 : 0.0);
      return Value(v->scalar);
    };
    bool pass = true;
    for (const Expression& e : constraints) {
      try {
        pass = e.holds(lookup, known);
      } catch (const ConfigError&) {
        if (p.error.empty()) throw;  // a bad constraint; an invalid point may just lack a key
        pass = true;
      }
      if (!pass) break;
    }
    if (!pass) {
      ++plan.skipped;
      continue;
    }
    kept.emplace_back(g, std::move(p));
  }
  std::sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [g, p] : kept) {
    p.index = plan.points.size();
    plan.points.push_back(std::move(p));
  }
  return plan;
}

}  // namespace strata::sweep
