#include "sim/engine/compare.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <stdexcept>

#include "workloads/kineto.h"

namespace strata::sim {

namespace {

template <class T>
const std::vector<T>& column(const results::Table& t, const std::string& name) {
  const results::Column* c = t.find(name);
  if (!c) throw std::invalid_argument("result has no ops/" + name + " column");
  return std::get<std::vector<T>>(c->data);
}

}  // namespace

std::vector<CompareRow> compare_trace(const std::string& trace_path, const results::Result& result) {
  workloads::KinetoTrace tr = workloads::import_kineto_path(trace_path);
  if (tr.kernels.empty()) throw std::invalid_argument(trace_path + ": the trace holds no GPU kernels");
  const results::Table* ops = result.table("ops");
  if (!ops || ops->rows() == 0)
    throw std::invalid_argument("the result has no per-op rows (rerun without output.ops_table: none)");

  // Measured: per device sums, then the mean over traced devices, per profiler step.
  std::set<int> mdev;
  std::map<std::string, double> m_class, m_phase;
  std::map<int, std::pair<double, double>> span;
  for (const workloads::MeasuredKernel& k : tr.kernels) {
    mdev.insert(k.device);
    m_class[workloads::op_class_name(k.op_class)] += k.duration_s;
    if (!k.phase.empty()) m_phase[k.phase] += k.duration_s;
    auto [it, fresh] = span.insert({k.device, {k.start_s, k.start_s + k.duration_s}});
    if (!fresh) {
      it->second.first = std::min(it->second.first, k.start_s);
      it->second.second = std::max(it->second.second, k.start_s + k.duration_s);
    }
  }
  double m_div = double(mdev.size()) * tr.steps;
  double m_step = 0;
  for (const auto& [d, s] : span) m_step = std::max(m_step, (s.second - s.first) / tr.steps);

  // Simulated: the same from the result's ops table.
  const auto& dev = column<int64_t>(*ops, "device");
  const auto& cls = column<std::string>(*ops, "op_class");
  const auto& dur = column<double>(*ops, "duration");
  const results::Column* ph = ops->find("phase");
  std::set<int64_t> sdev(dev.begin(), dev.end());
  std::map<std::string, double> s_class, s_phase;
  for (size_t i = 0; i < dev.size(); ++i) {
    if (cls[i] == "host") continue;
    s_class[cls[i]] += dur[i];
    if (ph) {
      const std::string& p = std::get<std::vector<std::string>>(ph->data)[i];
      if (!p.empty()) s_phase[p] += dur[i];
    }
  }
  const results::Scalar* steps = result.scalar("steps");
  const results::Scalar* step = result.scalar("step_time");
  if (!step) throw std::invalid_argument("the result has no summary/step_time");
  double s_div = double(sdev.size()) * (steps ? steps->value : 1.0);

  std::vector<CompareRow> rows;
  auto add = [&](const std::string& what, const std::string& name, double m, double s) {
    rows.push_back({what, name, m, s, m > 0 ? (s - m) / m : 0.0});
  };
  add("step", "", m_step, step->value);
  for (int c = 0; c < workloads::kOpClassCount; ++c) {
    std::string n = workloads::op_class_name(static_cast<workloads::OpClass>(c));
    if (n == "host" || (!m_class.count(n) && !s_class.count(n))) continue;
    add("class", n, m_class[n] / m_div, s_class[n] / s_div);
  }
  for (const auto& [n, t] : m_phase) add("phase", n, t / m_div, s_phase.count(n) ? s_phase[n] / s_div : 0.0);
  return rows;
}

std::string format_compare(const std::vector<CompareRow>& rows) {
  std::string out = "per device and step     name                          measured ms  simulated ms     error\n";
  for (const CompareRow& r : rows) {
    char buf[256];
    std::string err = r.measured_s > 0 ? [&] {
      char e[32];
      std::snprintf(e, sizeof e, "%+.1f%%", 100 * r.error);
      return std::string(e);
    }()
                                        : std::string("-");
    std::snprintf(buf, sizeof buf, "%-23s %-29s %11.3f %13.3f %9s\n", r.what.c_str(),
                  r.name.substr(0, 29).c_str(), r.measured_s * 1e3, r.simulated_s * 1e3, err.c_str());
    out += buf;
  }
  return out;
}

results::Result compare_result(const std::vector<CompareRow>& rows) {
  results::Result r;
  r.title = "measured trace versus simulated result";
  std::vector<std::string> what, name;
  std::vector<double> m, s, e;
  for (const CompareRow& x : rows) {
    what.push_back(x.what), name.push_back(x.name);
    m.push_back(x.measured_s), s.push_back(x.simulated_s), e.push_back(x.error);
  }
  results::Table t{"compare", "Measured versus simulated time per device and step", {}};
  t.columns = {{"what", "", "step, class or phase", what},
               {"name", "", "Op class or phase name", name},
               {"measured", "s", "From the trace", m},
               {"simulated", "s", "From the result", s},
               {"error", "1", "(simulated - measured) / measured", e}};
  r.tables.push_back(std::move(t));
  return r;
}

}  // namespace strata::sim
