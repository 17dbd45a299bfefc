#include "sim/engine/chrome_trace.h"

#include <cstdio>
#include <map>
#include <ostream>
#include <set>

#include "workloads/trace_io.h"

namespace strata::sim {

namespace {
std::string us(double seconds) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.3f", seconds * 1e6);
  return buf;
}
std::string g17(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}
}  // namespace

void write_chrome_trace(const workloads::Workload& w, const Timeline& t, std::ostream& out,
                        const std::vector<std::vector<models::PowerWindow>>& windows) {
  const workloads::OpGraph& g = w.graph;
  using workloads::json_string;
  out << "{\"displayTimeUnit\": \"ns\", \"traceEvents\": [\n";
  std::set<std::pair<int, int>> threads;
  for (const OpRecord& rec : t.records) threads.insert({rec.device, static_cast<int>(g.op(rec.op).stream)});
  bool first = true;
  auto sep = [&] {
    out << (first ? "" : ",\n");
    first = false;
  };
  std::set<int> procs;
  for (const auto& [dev, stream] : threads) {
    if (procs.insert(dev).second) {
      sep();
      out << "{\"ph\": \"M\", \"name\": \"process_name\", \"pid\": " << dev << ", \"args\": {\"name\": \"GPU "
          << dev << "\"}}";
      sep();
      out << "{\"ph\": \"M\", \"name\": \"process_sort_index\", \"pid\": " << dev
          << ", \"args\": {\"sort_index\": " << dev << "}}";
    }
    sep();
    std::string sname = workloads::stream_name(static_cast<workloads::Stream>(stream));
    if (stream >= 100) sname = "host thread " + std::to_string(stream - 100);
    out << "{\"ph\": \"M\", \"name\": \"thread_name\", \"pid\": " << dev << ", \"tid\": " << stream
        << ", \"args\": {\"name\": " << json_string(sname) << "}}";
  }
  for (const OpRecord& rec : t.records) {
    const workloads::Op& op = g.op(rec.op);
    bool coll = op.kind == workloads::OpKind::collective;
    sep();
    out << "{\"ph\": \"X\", \"name\": " << json_string(op.name) << ", \"cat\": \""
        << workloads::op_class_name(op.op_class) << "\", \"pid\": " << rec.device
        << ", \"tid\": " << static_cast<int>(op.stream) << ", \"ts\": " << us(rec.start_s)
        << ", \"dur\": " << us(rec.end_s - rec.start_s) << ", \"args\": {\"kind\": \""
        << (coll ? workloads::collective_kind_name(g.collectives()[op.collective].kind)
                 : workloads::op_kind_name(op.kind))
        << "\", \"flops\": " << g17(op.flops) << ", \"bytes\": " << g17(op.bytes)
        << ", \"bound_us\": " << us(rec.bound_s) << ", \"pass\": \"" << workloads::pass_name(op.pass) << "\"";
    if (op.layer >= 0) out << ", \"layer\": " << op.layer;
    if (op.micro_batch >= 0) out << ", \"micro_batch\": " << op.micro_batch;
    if (op.phase >= 0) out << ", \"phase\": " << json_string(g.phases()[op.phase]);
    out << "}}";
  }
  // Counter tracks: a sample at each window's start, and the last value again at the end.
  for (size_t slot = 0; slot < windows.size() && slot < w.devices.size(); ++slot) {
    const int dev = w.devices[slot];
    auto sample = [&](const char* name, const char* unit, double ts, double value) {
      sep();
      out << "{\"ph\": \"C\", \"name\": \"" << name << "\", \"pid\": " << dev << ", \"ts\": " << us(ts)
          << ", \"args\": {\"" << unit << "\": " << g17(value) << "}}";
    };
    for (const models::PowerWindow& pw : windows[slot]) {
      sample("clock", "MHz", pw.start_s, pw.clock_hz / 1e6);
      sample("power", "W", pw.start_s, pw.power_w());
    }
    if (!windows[slot].empty()) {
      const models::PowerWindow& last = windows[slot].back();
      sample("clock", "MHz", last.end_s, last.clock_hz / 1e6);
      sample("power", "W", last.end_s, last.power_w());
    }
  }
  out << "\n]}\n";
}

}  // namespace strata::sim
