#include "sim/engine/compare.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>

#include "sim/config/node.h"
#include "workloads/kernel_classes.h"
#include "workloads/kineto.h"

namespace strata::sim {

namespace {

constexpr const char* kUnattributed = "unattributed";
const char* const kSmallFamilies[] = {"cast", "transpose", "copy",       "norm",        "rope",
                                      "routing", "permute", "activation", "elementwise", "other"};

/// One kernel (trace) or op row (result) as both sides are compared: the same summary applies.
struct Item {
  int64_t device = 0;
  std::string op_class, phase;
  std::string small_family;  ///< for small kernels (kernel_classes.h), else ""
  std::string deepep;        ///< "ep_dispatch", "ep_combine" or ""
  bool comm = false;         ///< a communication kernel or collective
  bool main_stream = false;  ///< a compute kernel on the main compute stream
  double start = 0, end = 0;
  double duration = 0;  ///< as measured or simulated (trace timestamps are too large to subtract)
};

struct Summary {
  std::map<std::string, double> by_class, by_phase, by_family, by_deepep;
  std::map<std::string, double> phase_busy;  ///< union of the phase's kernel intervals per device
  std::vector<std::string> phase_order;  ///< by first appearance
  double compute_busy = 0, compute_stream = 0, comm_busy = 0, small = 0, deepep = 0;
  double span = 0;  ///< longest device's first start to last end, per step
};

double union_length(std::vector<std::pair<double, double>> v) {
  std::sort(v.begin(), v.end());
  double total = 0, a = 0, b = -1;
  for (const auto& [x, y] : v) {
    if (x > b) {
      if (b > a) total += b - a;
      a = x, b = y;
    } else {
      b = std::max(b, y);
    }
  }
  return b > a ? total + b - a : total;
}

/// Per device and step, the mean over the devices present.
Summary summarise(const std::vector<Item>& items, double steps) {
  Summary s;
  std::map<int64_t, std::vector<std::pair<double, double>>> compute, comm;
  std::map<std::pair<std::string, int64_t>, std::vector<std::pair<double, double>>> phase_iv;
  std::map<int64_t, std::pair<double, double>> extent;
  for (const Item& it : items) {
    const double d = it.duration;
    s.by_class[it.op_class] += d;
    if (!s.by_phase.count(it.phase)) s.phase_order.push_back(it.phase);
    s.by_phase[it.phase] += d;
    phase_iv[{it.phase, it.device}].push_back({it.start, it.end});
    if (!it.small_family.empty()) s.by_family[it.small_family] += d, s.small += d;
    if (!it.deepep.empty()) s.by_deepep[it.deepep] += d, s.deepep += d;
    if (it.main_stream) s.compute_stream += d;
    (it.comm ? comm : compute)[it.device].push_back({it.start, it.end});
    comm[it.device];  // every device counts, busy or not
    auto [e, fresh] = extent.insert({it.device, {it.start, it.end}});
    if (!fresh) e->second = {std::min(e->second.first, it.start), std::max(e->second.second, it.end)};
  }
  for (auto& [dev, v] : compute) s.compute_busy += union_length(std::move(v));
  for (auto& [dev, v] : comm) s.comm_busy += union_length(std::move(v));
  for (auto& [key, v] : phase_iv) s.phase_busy[key.first] += union_length(std::move(v));
  for (const auto& [dev, e] : extent) s.span = std::max(s.span, (e.second - e.first) / steps);
  const double div = std::max<size_t>(1, extent.size()) * steps;
  for (auto* m : {&s.by_class, &s.by_phase, &s.phase_busy, &s.by_family, &s.by_deepep})
    for (auto& [k, v] : *m) v /= div;
  for (double* x : {&s.compute_busy, &s.compute_stream, &s.comm_busy, &s.small, &s.deepep}) *x /= div;
  return s;
}

std::string deepep_family(const std::string& family) {
  return family == "ep_dispatch" || family == "ep_combine" ? family : "";
}

std::vector<Item> measured_items(const workloads::KinetoTrace& tr) {
  std::vector<Item> v;
  for (const workloads::MeasuredKernel& k : tr.kernels) {
    Item it;
    it.device = k.device;
    it.op_class = workloads::op_class_name(k.op_class);
    it.phase = k.phase.empty() ? kUnattributed : k.phase;
    if (workloads::is_small_kernel(k.op_class)) it.small_family = k.family;
    it.deepep = deepep_family(k.family);
    it.comm = k.op_class == workloads::OpClass::communication;
    it.main_stream = !it.comm && k.stream == workloads::Stream::compute;
    it.start = k.start_s;
    it.end = k.start_s + k.duration_s;
    it.duration = k.duration_s;
    v.push_back(std::move(it));
  }
  return v;
}

template <class T>
const std::vector<T>& column(const results::Table& t, const std::string& name) {
  const results::Column* c = t.find(name);
  if (!c) throw std::invalid_argument("result has no ops/" + name + " column");
  return std::get<std::vector<T>>(c->data);
}

/// Family of a result's small op by the trace's name rules: a replayed kernel keeps its kernel
/// name; a generated op's name ends in what it does (L3.attn.q_norm: the part after the last dot;
/// a backward op, L3.attn.rope_q.bwd, by what it is the backward of).
std::string small_family_of(const std::string& name, const std::string& kind) {
  if (kind == "norm") return "norm";
  std::string base = name;
  if (base.size() > 4 && base.compare(base.size() - 4, 4, ".bwd") == 0) base.resize(base.size() - 4);
  std::string what = kind == "kernel" ? name : base.substr(base.rfind('.') + 1);
  workloads::KernelClass k = workloads::classify_kernel(what);
  return workloads::is_small_kernel(k.op_class) ? k.family : "other";
}

std::vector<Item> simulated_items(const results::Table& ops) {
  const auto& dev = column<int64_t>(ops, "device");
  const auto& cls = column<std::string>(ops, "op_class");
  const auto& kind = column<std::string>(ops, "kind");
  const auto& name = column<std::string>(ops, "name");
  const auto& stream = column<std::string>(ops, "stream");
  const auto& start = column<double>(ops, "start");
  const auto& end = column<double>(ops, "end");
  const auto& duration = column<double>(ops, "duration");
  const results::Column* ph = ops.find("phase");
  std::vector<Item> v;
  for (size_t i = 0; i < dev.size(); ++i) {
    if (cls[i] == "host") continue;  // CPU time between launches, not GPU time
    Item it;
    it.device = dev[i];
    it.op_class = cls[i];
    const std::string p = ph ? std::get<std::vector<std::string>>(ph->data)[i] : "";
    it.phase = p.empty() ? kUnattributed : p;
    it.comm = cls[i] == "communication";
    bool small = false;
    for (int c = 0; c < workloads::kOpClassCount; ++c) {
      auto oc = static_cast<workloads::OpClass>(c);
      if (cls[i] == workloads::op_class_name(oc)) small = workloads::is_small_kernel(oc);
    }
    if (small) it.small_family = small_family_of(name[i], kind[i]);
    it.deepep = deepep_family(kind[i]);
    it.main_stream = !it.comm && stream[i] == "compute";
    it.start = start[i];
    it.end = end[i];
    it.duration = duration[i];
    v.push_back(std::move(it));
  }
  return v;
}

/// The first word that mixes letters and digits: a GPU's model ("NVIDIA H800" -> "h800").
std::string model_word(const std::string& device) {
  std::string word;
  for (size_t i = 0; i <= device.size(); ++i) {
    char c = i < device.size() ? static_cast<char>(std::tolower(static_cast<unsigned char>(device[i]))) : ' ';
    if (std::isalnum(static_cast<unsigned char>(c))) {
      word += c;
      continue;
    }
    bool alpha = std::any_of(word.begin(), word.end(), [](char x) { return std::isalpha(static_cast<unsigned char>(x)); });
    bool digit = std::any_of(word.begin(), word.end(), [](char x) { return std::isdigit(static_cast<unsigned char>(x)); });
    if (alpha && digit) return word;
    word.clear();
  }
  return "";
}

std::string config_text(const config::Node& root, std::initializer_list<const char*> path) {
  const config::Node* n = &root;
  for (const char* k : path) {
    n = n->is_map() ? n->find(k) : nullptr;
    if (!n) return "";
  }
  return n->is_scalar() ? n->scalar : "";
}

std::string same_path(const std::string& p) {
  std::error_code ec;
  std::filesystem::path c = std::filesystem::weakly_canonical(p, ec);
  return ec ? p : c.string();
}

/// What differs between the trace's configuration and the result's.
std::vector<std::string> config_warnings(const workloads::KinetoTrace& tr, const std::string& trace_path,
                                         const results::Result& r) {
  std::vector<std::string> w;
  if (const results::Scalar* g = r.scalar("gpus"); g && tr.world_size > 1 && int(g->value) != tr.world_size)
    w.push_back("the trace's NCCL world is " + std::to_string(tr.world_size) +
                " ranks (distributedInfo.world_size), the result simulates " + std::to_string(int(g->value)) +
                " GPUs");
  config::Node cfg;
  try {
    cfg = config::parse_yaml(r.config_yaml, "the result's config");
  } catch (const std::exception&) {
    return w;  // a result without a readable config: nothing more to check
  }
  const std::string chip = config_text(cfg, {"hardware", "chip", "name"});
  const std::string model = model_word(tr.device_name);
  std::string lower = chip;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (!model.empty() && !chip.empty() && lower.find(model) == std::string::npos)
    w.push_back("the trace ran on " + tr.device_name + " (deviceProperties), the result simulates " + chip);
  if (config_text(cfg, {"workload", "source"}) == "trace") {
    const std::string replayed = config_text(cfg, {"workload", "trace", "file"});
    if (!replayed.empty() && same_path(replayed) != same_path(trace_path))
      w.push_back("the result replays " + replayed + ", not this trace");
  }
  return w;
}

/// Rows of a comparison of two summaries (the measured one may be empty: a result on its own).
std::vector<CompareRow> rows_of(const Summary& m, const Summary& s, double step_time) {
  std::vector<CompareRow> rows;
  auto add = [&](const std::string& what, const std::string& name, double mv, double sv) {
    rows.push_back({what, name, mv, sv, mv > 0 ? (sv - mv) / mv : 0.0});
  };
  auto get = [](const std::map<std::string, double>& x, const std::string& k) {
    auto it = x.find(k);
    return it == x.end() ? 0.0 : it->second;
  };
  add("span", "", m.span, step_time);
  add("busy", "compute", m.compute_busy, s.compute_busy);
  add("busy", "compute_stream", m.compute_stream, s.compute_stream);
  add("busy", "communication", m.comm_busy, s.comm_busy);
  for (int c = 0; c < workloads::kOpClassCount; ++c) {
    std::string n = workloads::op_class_name(static_cast<workloads::OpClass>(c));
    if (n == "host" || (!m.by_class.count(n) && !s.by_class.count(n))) continue;
    add("class", n, get(m.by_class, n), get(s.by_class, n));
  }
  std::vector<std::string> phases;
  for (const auto* order : {&m.phase_order, &s.phase_order})
    for (const std::string& p : *order)
      if (p != kUnattributed && std::find(phases.begin(), phases.end(), p) == phases.end()) phases.push_back(p);
  if (m.by_phase.count(kUnattributed) || s.by_phase.count(kUnattributed)) phases.push_back(kUnattributed);
  for (const std::string& p : phases) add("phase", p, get(m.by_phase, p), get(s.by_phase, p));
  // The time each phase occupies the GPU: kernels of a phase running side by side on two
  // streams (DeepSeek's per-expert weight gradients) count once.
  for (const std::string& p : phases) add("phase_busy", p, get(m.phase_busy, p), get(s.phase_busy, p));
  add("small", "all", m.small, s.small);
  for (const char* f : kSmallFamilies)
    if (m.by_family.count(f) || s.by_family.count(f)) add("small", f, get(m.by_family, f), get(s.by_family, f));
  add("deepep", "all", m.deepep, s.deepep);
  for (const char* f : {"ep_dispatch", "ep_combine"})
    if (m.by_deepep.count(f) || s.by_deepep.count(f)) add("deepep", f, get(m.by_deepep, f), get(s.by_deepep, f));
  return rows;
}

Summary result_summary(const results::Table& ops, const results::Scalar* steps) {
  return summarise(simulated_items(ops), steps ? std::max(1.0, steps->value) : 1.0);
}

const results::Table& ops_table(const results::Result& result) {
  const results::Table* ops = result.table("ops");
  if (!ops || ops->rows() == 0)
    throw std::invalid_argument("the result has no per-op rows (rerun without output.ops_table: none)");
  return *ops;
}

double step_time(const results::Result& result) {
  const results::Scalar* step = result.scalar("step_time");
  if (!step) throw std::invalid_argument("the result has no summary/step_time");
  return step->value;
}

}  // namespace

std::vector<CompareRow> profile_rows(const results::Result& result) {
  return rows_of(Summary{}, result_summary(ops_table(result), result.scalar("steps")), step_time(result));
}

Comparison compare_trace(const std::string& trace_path, const results::Result& result) {
  workloads::KinetoTrace tr = workloads::import_kineto_path(trace_path);
  if (tr.kernels.empty()) throw std::invalid_argument(trace_path + ": the trace holds no GPU kernels");
  const results::Table& ops = ops_table(result);
  const double step = step_time(result);

  Comparison out;
  const size_t ranks = tr.workload.devices.size();
  out.trace = std::to_string(ranks) + " of " + std::to_string(tr.world_size) + " ranks" +
              (tr.device_name.empty() ? "" : " (" + tr.device_name + ")") + ", " + std::to_string(tr.steps) +
              " step(s), " + std::to_string(tr.kernels.size()) + " kernels";
  if (tr.unsized_collectives > 0)
    out.trace += ", " + std::to_string(tr.unsized_collectives) + " communication kernels of unknown size";
  out.warnings = config_warnings(tr, trace_path, result);

  const Summary m = summarise(measured_items(tr), tr.steps);
  out.rows = rows_of(m, result_summary(ops, result.scalar("steps")), step);
  return out;
}

const CompareRow* find_row(const Comparison& c, const std::string& what, const std::string& name) {
  for (const CompareRow& r : c.rows)
    if (r.what == what && r.name == name) return &r;
  return nullptr;
}

std::string format_compare(const Comparison& c) {
  std::string out = "trace: " + c.trace + "\n";
  for (const std::string& w : c.warnings) out += "warning: " + w + "\n";
  out += "per device and step  name                          measured ms  simulated ms     error\n";
  for (const CompareRow& r : c.rows) {
    char buf[256], e[32] = "-";
    if (r.measured_s > 0) std::snprintf(e, sizeof e, "%+.1f%%", std::fabs(r.error) < 0.0005 ? 0.0 : 100 * r.error);
    std::snprintf(buf, sizeof buf, "%-20s %-29s %11.3f %13.3f %9s\n", r.what.c_str(), r.name.substr(0, 29).c_str(),
                  r.measured_s * 1e3, r.simulated_s * 1e3, e);
    out += buf;
  }
  return out;
}

results::Result compare_result(const Comparison& c) {
  results::Result r;
  r.title = "measured trace versus simulated result: " + c.trace;
  std::vector<std::string> what, name;
  std::vector<double> m, s, e;
  for (const CompareRow& x : c.rows) {
    what.push_back(x.what), name.push_back(x.name);
    m.push_back(x.measured_s), s.push_back(x.simulated_s), e.push_back(x.error);
  }
  results::Table t{"compare", "Measured versus simulated time per device and step", {}};
  t.columns = {{"what", "", "span, busy, class, phase (kernel time summed), phase_busy (the union of its kernels' intervals), small (kernels) or deepep", what},
               {"name", "", "Busy kind, op class, phase or kernel family", name},
               {"measured", "s", "From the trace", m},
               {"simulated", "s", "From the result", s},
               {"error", "1", "(simulated - measured) / measured", e}};
  r.tables.push_back(std::move(t));
  results::Table w{"warnings", "Where the trace and the result describe different configurations", {}};
  w.columns = {{"warning", "", "What differs", c.warnings}};
  r.tables.push_back(std::move(w));
  return r;
}

}  // namespace strata::sim
