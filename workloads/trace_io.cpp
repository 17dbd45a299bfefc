#include "workloads/trace_io.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "sim/config/schema.h"
#include "workloads/kernels.h"

namespace strata::workloads {
using nlohmann::json;

namespace {

const std::vector<std::pair<std::string, OpKind>>& kernel_kinds() {
  static const std::vector<std::pair<std::string, OpKind>> k = {
      {"gemm", OpKind::gemm},
      {"batched_gemm", OpKind::batched_gemm},
      {"grouped_gemm", OpKind::grouped_gemm},
      {"attention_decode", OpKind::attention_decode},
      {"attention_prefill", OpKind::attention_prefill},
      {"attention_backward", OpKind::attention_backward},
      {"norm", OpKind::norm},
      {"elementwise", OpKind::elementwise},
      {"kernel", OpKind::kernel},
  };
  return k;
}

const std::vector<std::pair<std::string, CollectiveKind>>& collective_kinds() {
  static const std::vector<std::pair<std::string, CollectiveKind>> k = {
      {"all_to_all", CollectiveKind::all_to_all},     {"send_recv", CollectiveKind::send_recv},
      {"all_reduce", CollectiveKind::all_reduce},     {"reduce_scatter", CollectiveKind::reduce_scatter},
      {"all_gather", CollectiveKind::all_gather},     {"broadcast", CollectiveKind::broadcast},
      {"ep_dispatch", CollectiveKind::ep_dispatch},   {"ep_combine", CollectiveKind::ep_combine},
  };
  return k;
}

const std::vector<std::pair<std::string, CollectiveAlgorithm>>& collective_algorithms() {
  static const std::vector<std::pair<std::string, CollectiveAlgorithm>> a = [] {
    std::vector<std::pair<std::string, CollectiveAlgorithm>> v;
    for (auto x : {CollectiveAlgorithm::automatic, CollectiveAlgorithm::ring, CollectiveAlgorithm::tree,
                   CollectiveAlgorithm::nvls, CollectiveAlgorithm::direct, CollectiveAlgorithm::node_forwarded,
                   CollectiveAlgorithm::per_expert})
      v.push_back({collective_algorithm_name(x), x});
    return v;
  }();
  return a;
}

template <class E>
std::vector<std::pair<std::string, E>> named(E count_end, const char* (*name)(E)) {
  std::vector<std::pair<std::string, E>> out;
  for (int i = 0; i < static_cast<int>(count_end); ++i) out.push_back({name(static_cast<E>(i)), static_cast<E>(i)});
  return out;
}

OpClass default_class(OpKind k) {
  switch (k) {
    case OpKind::gemm:
    case OpKind::batched_gemm: return OpClass::dense_gemm;
    case OpKind::grouped_gemm: return OpClass::moe_gemm;
    case OpKind::attention_decode:
    case OpKind::attention_prefill:
    case OpKind::attention_backward: return OpClass::attention;
    case OpKind::norm:
    case OpKind::elementwise: return OpClass::elementwise;
    case OpKind::kernel: return OpClass::other;
    case OpKind::collective: return OpClass::communication;
  }
  return OpClass::other;
}

/// Line and column of byte `pos` in `text` (1-based).
std::string position(const std::string& text, size_t pos) {
  pos = std::min(pos, text.size());
  int line = 1, col = 1;
  for (size_t i = 0; i < pos; ++i) {
    if (text[i] == '\n') line++, col = 1;
    else col++;
  }
  return std::to_string(line) + ":" + std::to_string(col);
}

class Reader {
 public:
  Reader(const std::string& file) : file_(file) {}

  [[noreturn]] void fail(const std::string& msg) const { throw std::invalid_argument(file_ + ": " + msg); }
  [[noreturn]] void fail_op(size_t index, const json& op, const std::string& msg) const {
    std::string who = "op #" + std::to_string(index);
    if (op.is_object()) {
      if (op.contains("id") && op["id"].is_number_integer()) who += " (id " + std::to_string(op["id"].get<int64_t>());
      else who += " (no id";
      if (op.contains("name") && op["name"].is_string()) who += ", '" + op["name"].get<std::string>() + "'";
      who += ")";
    }
    fail(who + ": " + msg);
  }

  template <class T>
  T get(size_t i, const json& op, const char* key, const T& fallback, bool required) const {
    auto it = op.find(key);
    if (it == op.end()) {
      if (required) fail_op(i, op, std::string("missing field '") + key + "'");
      return fallback;
    }
    try {
      if constexpr (std::is_same_v<T, double>) {
        if (!it->is_number()) throw std::invalid_argument("");
        double v = it->get<double>();
        if (!std::isfinite(v) || v < 0) throw std::invalid_argument("");
        return v;
      } else if constexpr (std::is_integral_v<T>) {
        if (!it->is_number_integer()) throw std::invalid_argument("");
        return it->get<T>();
      } else {
        return it->get<T>();
      }
    } catch (const std::exception&) {
      std::string want = std::is_same_v<T, double> ? "a non-negative number"
                         : std::is_integral_v<T>    ? "an integer"
                         : std::is_same_v<T, std::string> ? "a string"
                                                          : "a value of another type";
      fail_op(i, op, std::string("field '") + key + "' must be " + want + ", got " + it->dump());
    }
  }

  template <class E>
  E choice(size_t i, const json& op, const char* key, const std::vector<std::pair<std::string, E>>& opts,
           E fallback) const {
    auto it = op.find(key);
    if (it == op.end()) return fallback;
    std::string v = it->is_string() ? it->get<std::string>() : it->dump();
    std::vector<std::string> names;
    for (const auto& [n, e] : opts) {
      if (n == v) return e;
      names.push_back(n);
    }
    std::string msg = std::string("unknown ") + key + " '" + v + "'";
    if (auto g = config::did_you_mean(v, names)) msg += "; did you mean '" + *g + "'?";
    std::string all;
    for (const auto& n : names) all += (all.empty() ? "" : ", ") + n;
    fail_op(i, op, msg + " (allowed: " + all + ")");
  }

 private:
  std::string file_;
};

/// "tokens": {"gpus_per_node": G, "pairs": [[src, dst, tokens, experts], ...],
///            "node_sets": [[src, [node, ...], tokens], ...]} among the collective's ranks.
std::shared_ptr<const TokenRouting> read_token_routing(const Reader& R, size_t i, const json& j,
                                                       const std::vector<int>& ranks) {
  if (!j.contains("tokens") || !j["tokens"].is_object())
    R.fail_op(i, j, std::string(j.value("kind", "")) +
                        " needs \"tokens\": {\"gpus_per_node\": G, \"pairs\": [...], \"node_sets\": [...]}");
  const json& t = j["tokens"];
  for (auto it = t.begin(); it != t.end(); ++it)
    if (it.key() != "gpus_per_node" && it.key() != "pairs" && it.key() != "node_sets")
      R.fail_op(i, j, "unknown field '" + it.key() + "' in tokens (allowed: gpus_per_node, pairs, node_sets)");
  auto count = [](const json& x) { return x.is_number_integer() && x.get<int64_t>() >= 0; };
  if (!t.contains("gpus_per_node") || !t["gpus_per_node"].is_number_integer() || t["gpus_per_node"].get<int>() < 1)
    R.fail_op(i, j, "tokens.gpus_per_node must be an integer >= 1");
  const int first = *std::min_element(ranks.begin(), ranks.end());
  const int n = *std::max_element(ranks.begin(), ranks.end()) - first + 1;
  std::shared_ptr<TokenRouting> out;
  try {
    out = std::make_shared<TokenRouting>(first, n, t["gpus_per_node"].get<int>());
  } catch (const std::invalid_argument& e) {
    R.fail_op(i, j, e.what());
  }
  std::set<int> rs(ranks.begin(), ranks.end());
  for (const json& x : t.value("pairs", json::array())) {
    if (!x.is_array() || x.size() != 4 || !x[0].is_number_integer() || !x[1].is_number_integer() || !count(x[2]) ||
        !count(x[3]))
      R.fail_op(i, j, "a token pair is [src, dst, tokens, experts] with counts >= 0, got " + x.dump());
    if (!rs.count(x[0].get<int>()) || !rs.count(x[1].get<int>()))
      R.fail_op(i, j, "token pair " + x.dump() + " names a rank outside the collective's ranks");
    out->add_pair(x[0].get<int>(), x[1].get<int>(), x[2].get<uint32_t>(), x[3].get<uint32_t>());
  }
  const int first_node = out->first_node(), nodes = (first + n - 1) / out->gpus_per_node() - first_node + 1;
  for (const json& x : t.value("node_sets", json::array())) {
    if (!x.is_array() || x.size() != 3 || !x[0].is_number_integer() || !x[1].is_array() || !count(x[2]))
      R.fail_op(i, j, "a node set is [src, [node, ...], tokens] with tokens >= 0, got " + x.dump());
    if (!rs.count(x[0].get<int>()))
      R.fail_op(i, j, "node set " + x.dump() + " names a rank outside the collective's ranks");
    uint64_t mask = 0;
    for (const json& nd : x[1]) {
      if (!nd.is_number_integer() || nd.get<int>() < first_node || nd.get<int>() >= first_node + nodes)
        R.fail_op(i, j, "node set " + x.dump() + " names a node outside " + std::to_string(first_node) + " .. " +
                            std::to_string(first_node + nodes - 1));
      mask |= uint64_t(1) << (nd.get<int>() - first_node);
    }
    out->add_node_set(x[0].get<int>(), mask, x[2].get<uint32_t>());
  }
  out->compact();
  return out;
}

void write_token_routing(const TokenRouting& t, std::ostream& out) {
  out << "{\"gpus_per_node\": " << t.gpus_per_node() << ", \"pairs\": [";
  bool any = false;
  for (int s = t.first_rank(); s < t.first_rank() + t.ranks(); ++s)
    for (int d = t.first_rank(); d < t.first_rank() + t.ranks(); ++d) {
      if (t.pair_tokens(s, d) == 0 && t.pair_experts(s, d) == 0) continue;
      out << (any ? ", " : "") << "[" << s << ", " << d << ", " << uint64_t(t.pair_tokens(s, d)) << ", "
          << uint64_t(t.pair_experts(s, d)) << "]";
      any = true;
    }
  out << "], \"node_sets\": [";
  for (size_t k = 0; k < t.node_sets().size(); ++k) {
    const TokenRouting::NodeSet& ns = t.node_sets()[k];
    out << (k ? ", " : "") << "[" << ns.src << ", [";
    bool first = true;
    for (uint64_t m = ns.nodes; m; m &= m - 1, first = false)
      out << (first ? "" : ", ") << t.first_node() + __builtin_ctzll(m);
    out << "], " << ns.tokens << "]";
  }
  out << "]}";
}

const std::set<std::string>& known_fields() {
  static const std::set<std::string> f = {
      "id",    "name",  "kind",   "device",     "stream",      "class",  "dtype", "pass",
      "layer", "micro_batch", "phase", "m", "n", "k", "batch", "group_rows", "flops", "model_flops",
      "bytes", "bytes_written", "accumulate", "attention", "kv_bytes_per_token", "kv_dtype", "duration", "deps", "ranks",
      "flows", "tokens", "token_bytes", "algorithm", "root", "devices", "ordered"};
  return f;
}

}  // namespace

namespace {
Workload read_trace_checked(const std::string& text, const std::string& file, bool serialize_comm);
}  // namespace

Workload read_trace(const std::string& text, const std::string& file, bool serialize_comm) {
  try {
    return read_trace_checked(text, file, serialize_comm);
  } catch (const json::exception& e) {
    // A field of the wrong JSON type deep in a value (nlohmann's own message names it).
    throw std::invalid_argument(file + ": " + e.what());
  }
}

namespace {
Workload read_trace_checked(const std::string& text, const std::string& file, bool serialize_comm) {
  Reader R(file);
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    std::string what = e.what();
    if (size_t p = what.find("parse error"); p != std::string::npos) what = what.substr(p);
    R.fail(position(text, e.byte > 0 ? e.byte - 1 : 0) + ": not valid JSON: " + what);
  }
  if (!doc.is_object()) R.fail("expected a JSON object with \"format\": \"strata-trace\"");
  if (doc.value("format", std::string()) != "strata-trace")
    R.fail("not a strata trace: \"format\" must be \"strata-trace\" (PyTorch profiler traces are read by "
           "workload.trace too)");
  if (!doc.contains("version") || !doc["version"].is_number_integer())
    R.fail("missing integer \"version\" (this build reads version " + std::to_string(kTraceVersion) + ")");
  if (doc["version"].get<int>() != kTraceVersion)
    R.fail("trace version " + doc["version"].dump() + " is not supported (this build reads version " +
           std::to_string(kTraceVersion) + ")");
  if (!doc.contains("ops") || !doc["ops"].is_array()) R.fail("missing \"ops\" list");
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    static const std::vector<std::string> top = {"format", "version", "devices", "workload", "memory", "ops"};
    if (std::find(top.begin(), top.end(), it.key()) != top.end()) continue;
    std::string msg = "unknown top-level field '" + it.key() + "'";
    if (auto gs = config::did_you_mean(it.key(), top)) msg += "; did you mean '" + *gs + "'?";
    R.fail(msg + " (allowed: format, version, devices, workload, memory, ops)");
  }

  Workload w;
  OpGraph& g = w.graph;
  const json& ops = doc["ops"];
  int declared_devices = doc.contains("devices") && doc["devices"].is_number_integer() ? doc["devices"].get<int>() : -1;
  if (doc.contains("workload")) {
    const json& meta = doc["workload"];
    if (!meta.is_object()) R.fail("\"workload\" must be an object");
    std::string ph = meta.value("phase", std::string("decode"));
    if (ph == "prefill") w.phase = Phase::prefill;
    else if (ph == "training") w.phase = Phase::training;
    else if (ph != "decode") R.fail("workload.phase '" + ph + "' is not one of decode, prefill, training");
    w.tokens_per_step = meta.value("tokens_per_step", 0.0);
    w.replicas = meta.value("replicas", 1);
    w.description = meta.value("description", std::string());
    w.model_flops_per_step = meta.value("model_flops_per_step", 0.0);
  }

  const auto kinds = kernel_kinds();
  const auto ckinds = collective_kinds();
  std::vector<std::pair<std::string, int>> kind_names;
  for (const auto& [n, k] : kinds) kind_names.push_back({n, static_cast<int>(k)});
  for (const auto& [n, k] : ckinds) kind_names.push_back({n, 100 + static_cast<int>(k)});
  const auto classes = named(static_cast<OpClass>(kOpClassCount), op_class_name);
  const auto passes = named(static_cast<Pass>(kPassCount), pass_name);
  const auto dtypes = hw::dtype_options();

  std::map<int64_t, OpGraph::OpId> by_id;
  std::vector<std::pair<size_t, std::vector<int64_t>>> deps;  // graph op -> dep ids
  std::vector<size_t> index_of;                               // graph op -> position in file
  g.reserve(ops.size());
  for (size_t i = 0; i < ops.size(); ++i) {
    const json& j = ops[i];
    if (!j.is_object()) R.fail_op(i, j, "expected an object");
    for (auto it = j.begin(); it != j.end(); ++it)
      if (!known_fields().count(it.key())) {
        std::vector<std::string> names(known_fields().begin(), known_fields().end());
        std::string msg = "unknown field '" + it.key() + "'";
        if (auto gs = config::did_you_mean(it.key(), names)) msg += "; did you mean '" + *gs + "'?";
        R.fail_op(i, j, msg);
      }
    int64_t id = R.get<int64_t>(i, j, "id", 0, true);
    if (id < 0) R.fail_op(i, j, "id must be >= 0");
    if (by_id.count(id)) R.fail_op(i, j, "duplicate id " + std::to_string(id));
    Op op;
    op.name = R.get<std::string>(i, j, "name", "", true);
    int kind = R.choice(i, j, "kind", kind_names, -1);
    if (kind < 0) R.fail_op(i, j, "missing field 'kind'");
    const bool coll = kind >= 100;
    op.kind = coll ? OpKind::collective : static_cast<OpKind>(kind);
    op.op_class = R.choice(i, j, "class", classes, default_class(op.kind));
    op.dtype = R.choice(i, j, "dtype", dtypes, hw::DType::bf16);
    op.pass = R.choice(i, j, "pass", passes, Pass::forward);
    op.layer = R.get<int>(i, j, "layer", -1, false);
    op.micro_batch = R.get<int>(i, j, "micro_batch", -1, false);
    if (j.contains("phase")) op.phase = g.phase_id(R.get<std::string>(i, j, "phase", "", true));
    op.measured_s = j.contains("duration") ? R.get<double>(i, j, "duration", 0, true) : -1;
    Stream stream = coll ? Stream::comm : Stream::compute;
    if (j.contains("stream")) {
      const json& s = j["stream"];
      if (s == "compute") stream = Stream::compute;
      else if (s == "comm") stream = Stream::comm;
      else if (s.is_number_integer() && s.get<int>() >= 0) stream = static_cast<Stream>(s.get<int>());
      else R.fail_op(i, j, "stream must be \"compute\", \"comm\" or a stream number >= 0, got " + s.dump());
    }
    op.stream = stream;
    std::vector<int64_t> d;
    if (j.contains("deps")) {
      if (!j["deps"].is_array()) R.fail_op(i, j, "deps must be a list of op ids");
      for (const json& x : j["deps"]) {
        if (!x.is_number_integer()) R.fail_op(i, j, "deps must be a list of op ids, got " + x.dump());
        if (x.get<int64_t>() == id) R.fail_op(i, j, "depends on itself");
        d.push_back(x.get<int64_t>());
      }
    }

    OpGraph::OpId gid;
    if (!coll) {
      for (const char* f : {"ranks", "flows", "root", "devices", "ordered"})
        if (j.contains(f)) R.fail_op(i, j, std::string("field '") + f + "' is for collectives");
      op.device = R.get<int>(i, j, "device", 0, true);
      if (op.device < 0 || (declared_devices > 0 && op.device >= declared_devices))
        R.fail_op(i, j, "device " + std::to_string(op.device) + " is outside 0 .. " +
                            std::to_string(declared_devices - 1));
      op.m = R.get<int64_t>(i, j, "m", 0, false);
      op.n = R.get<int64_t>(i, j, "n", 0, false);
      op.k = R.get<int64_t>(i, j, "k", 0, false);
      op.batch = R.get<int64_t>(i, j, "batch", 1, false);
      if (op.m < 0 || op.n < 0 || op.k < 0 || op.batch < 1)
        R.fail_op(i, j, "shape fields m, n, k must be >= 0 and batch >= 1");
      if (op.kind == OpKind::grouped_gemm) {
        if (!j.contains("group_rows") || !j["group_rows"].is_array())
          R.fail_op(i, j, "grouped_gemm needs group_rows (rows per group)");
        int64_t sum = 0;
        for (const json& x : j["group_rows"]) {
          if (!x.is_number_integer() || x.get<int64_t>() < 0)
            R.fail_op(i, j, "group_rows must be non-negative integers, got " + x.dump());
          op.group_rows.push_back(x.get<int64_t>());
          sum += x.get<int64_t>();
        }
        if (j.contains("m") && op.m != sum)
          R.fail_op(i, j, "inconsistent shapes: m = " + std::to_string(op.m) + " but group_rows add up to " +
                              std::to_string(sum));
        if (j.contains("batch") && op.batch != static_cast<int64_t>(op.group_rows.size()))
          R.fail_op(i, j, "inconsistent shapes: batch = " + std::to_string(op.batch) + " but there are " +
                              std::to_string(op.group_rows.size()) + " groups");
        op.m = sum;
        op.batch = static_cast<int64_t>(op.group_rows.size());
      } else if (j.contains("group_rows")) {
        R.fail_op(i, j, "group_rows is for grouped_gemm");
      }
      bool gemm_like = op.kind == OpKind::gemm || op.kind == OpKind::batched_gemm || op.kind == OpKind::grouped_gemm;
      double expected = -1;
      if (gemm_like) {
        if (op.n < 1 || op.k < 1 || (op.kind != OpKind::grouped_gemm && op.m < 1))
          R.fail_op(i, j, std::string(op_kind_name(op.kind)) + " needs m, n, k >= 1");
        Op ref = op.kind == OpKind::grouped_gemm ? grouped_gemm(op.name, 0, op.group_rows, op.n, op.k, op.dtype)
                 : op.kind == OpKind::batched_gemm ? batched_gemm(op.name, 0, op.batch, op.m, op.n, op.k, op.dtype)
                                                   : gemm(op.name, 0, op.m, op.n, op.k, op.dtype);
        expected = ref.flops;
        op.flops = ref.flops;
        op.bytes = ref.bytes;
        op.bytes_written = ref.bytes_written;
      }
      if (j.contains("flops")) {
        double f = R.get<double>(i, j, "flops", 0, true);
        if (expected >= 0 && std::fabs(f - expected) > 1e-9 * std::max(1.0, expected))
          R.fail_op(i, j, "inconsistent shapes: flops " + j["flops"].dump() + " but the shape gives " +
                              json(expected).dump());
        op.flops = f;
      }
      if (j.contains("bytes")) op.bytes = R.get<double>(i, j, "bytes", 0, true);
      if (j.contains("bytes_written")) op.bytes_written = R.get<double>(i, j, "bytes_written", 0, true);
      if (op.bytes_written < 0 || op.bytes_written > op.bytes)
        R.fail_op(i, j, "bytes_written must be between 0 and bytes");
      if (j.contains("accumulate")) {
        if (!j["accumulate"].is_boolean() || !gemm_like) R.fail_op(i, j, "accumulate must be true or false, on a gemm kind");
        op.accumulate = j["accumulate"].get<bool>();
      }
      if (j.contains("attention")) {
        const json& a = j["attention"];
        if (!a.is_object()) R.fail_op(i, j, "attention must be an object {requests, queries, context, pairs, heads, kv_heads}");
        for (const auto& [key, v] : a.items())
          if (!v.is_number() || v.get<double>() < 0)
            R.fail_op(i, j, "attention." + key + " must be a number >= 0, got " + v.dump());
        op.attention.requests = a.value("requests", int64_t(0));
        op.attention.queries = a.value("queries", int64_t(0));
        op.attention.context = a.value("context", 0.0);
        op.attention.pairs = a.value("pairs", 0.0);
        op.attention.heads = a.value("heads", 0);
        op.attention.kv_heads = a.value("kv_heads", 0);
      }
      if (j.contains("kv_bytes_per_token")) op.kv_bytes_per_token = R.get<double>(i, j, "kv_bytes_per_token", 0, true);
      op.kv_dtype = R.choice(i, j, "kv_dtype", dtypes, hw::DType::bf16);
      op.model_flops = j.contains("model_flops") ? R.get<double>(i, j, "model_flops", 0, true) : op.flops;
      gid = g.add(op);
    } else {
      for (const char* f : {"device", "m", "n", "k", "batch", "group_rows", "flops", "model_flops"})
        if (j.contains(f)) R.fail_op(i, j, std::string("field '") + f + "' is for kernels, not collectives");
      Collective c;
      for (const auto& [n, k] : ckinds)
        if (100 + static_cast<int>(k) == kind) c.kind = k;
      if (!j.contains("ranks") || !j["ranks"].is_array() || j["ranks"].empty())
        R.fail_op(i, j, "a collective needs \"ranks\", its participants");
      std::set<int> rs;
      for (const json& x : j["ranks"]) {
        if (!x.is_number_integer() || x.get<int>() < 0) R.fail_op(i, j, "ranks must be integers >= 0, got " + x.dump());
        int r = x.get<int>();
        if (declared_devices > 0 && r >= declared_devices)
          R.fail_op(i, j, "rank " + std::to_string(r) + " is outside 0 .. " + std::to_string(declared_devices - 1));
        if (!rs.insert(r).second) R.fail_op(i, j, "rank " + std::to_string(r) + " listed twice");
        c.ranks.push_back(r);
      }
      bool explicit_flows = c.kind == CollectiveKind::all_to_all || c.kind == CollectiveKind::send_recv;
      const std::string kname = collective_kind_name(c.kind);
      for (const char* f : {"flows", "bytes", "tokens", "token_bytes", "root"}) {
        bool allowed = explicit_flows ? f == std::string("flows")
                       : token_routed(c.kind) ? f == std::string("tokens") || f == std::string("token_bytes")
                                              : f == std::string("bytes") || (f == std::string("root") &&
                                                                              c.kind == CollectiveKind::broadcast);
        if (j.contains(f) && !allowed)
          R.fail_op(i, j, std::string("field '") + f + "' is not for " + kname +
                              (explicit_flows          ? " (it gives per-pair \"flows\")"
                               : token_routed(c.kind) ? " (it gives \"tokens\" and \"token_bytes\")"
                                                      : " (it is given by \"bytes\")"));
      }
      if (explicit_flows) {
        if (!j.contains("flows") || !j["flows"].is_array())
          R.fail_op(i, j, kname + " needs \"flows\": [[src, dst, bytes], ...]");
        for (const json& f : j["flows"]) {
          if (!f.is_array() || f.size() != 3 || !f[0].is_number_integer() || !f[1].is_number_integer() ||
              !f[2].is_number() || f[2].get<double>() < 0)
            R.fail_op(i, j, "a flow is [src, dst, bytes] with bytes >= 0, got " + f.dump());
          Flow fl{f[0].get<int>(), f[1].get<int>(), f[2].get<double>()};
          if (!rs.count(fl.src) || !rs.count(fl.dst))
            R.fail_op(i, j, "flow " + f.dump() + " names a rank outside the collective's ranks");
          if (fl.src == fl.dst) R.fail_op(i, j, "flow " + f.dump() + " sends a rank to itself");
          c.flows.push_back(fl);
        }
      } else if (token_routed(c.kind)) {
        // A measured one may leave the tokens out (a profiler trace gives DeepEP's no size):
        // it keeps its duration.
        if (j.contains("tokens") || !j.contains("duration")) {
          c.token_bytes = R.get<double>(i, j, "token_bytes", 0, true);
          c.tokens = read_token_routing(R, i, j, c.ranks);
        }
      } else {
        c.bytes = R.get<double>(i, j, "bytes", 0, !j.contains("duration"));
        if (c.kind == CollectiveKind::broadcast) {
          c.root = R.get<int>(i, j, "root", -1, true);
          if (!rs.count(c.root)) R.fail_op(i, j, "root " + std::to_string(c.root) + " is not among the ranks");
        }
      }
      c.algorithm = R.choice(i, j, "algorithm", collective_algorithms(), CollectiveAlgorithm::automatic);
      std::vector<int> devices = c.ranks;
      if (j.contains("devices")) {
        devices.clear();
        if (!j["devices"].is_array()) R.fail_op(i, j, "devices must be a list of ranks");
        for (const json& x : j["devices"]) {
          if (!x.is_number_integer() || !rs.count(x.get<int>()))
            R.fail_op(i, j, "devices must be ranks of the collective, got " + x.dump());
          devices.push_back(x.get<int>());
        }
      }
      bool ordered = true;
      if (j.contains("ordered")) {
        if (!j["ordered"].is_boolean()) R.fail_op(i, j, "ordered must be true or false");
        ordered = j["ordered"].get<bool>();
      }
      Op cop = collective_op(op.name, op.layer, op.dtype, c);
      cop.op_class = op.op_class;
      cop.pass = op.pass, cop.micro_batch = op.micro_batch, cop.phase = op.phase, cop.measured_s = op.measured_s;
      int idx = g.intern_collective(std::move(c));
      gid = g.add_collective_ref(cop, idx, devices, ordered, stream);
      if (serialize_comm)
        for (int dev : devices) g.follow(gid, dev, Stream::compute);
    }
    by_id[id] = gid;
    index_of.push_back(i);
    deps.push_back({gid, std::move(d)});
  }
  for (const auto& [gid, ids] : deps)
    for (int64_t d : ids) {
      auto it = by_id.find(d);
      if (it == by_id.end())
        R.fail_op(index_of[gid], ops[index_of[gid]], "depends on op id " + std::to_string(d) + ", which does not exist");
      g.depend(it->second, gid);
    }
  try {
    g.topological_order();
  } catch (const std::runtime_error& e) {
    R.fail(e.what());
  }
  // Simulated devices: every rank an op runs on.
  std::set<int> devs;
  for (const Op& op : g.ops()) {
    if (op.kind == OpKind::collective)
      for (int d : g.participants(op)) devs.insert(d);
    else
      devs.insert(op.device);
  }
  w.devices.assign(devs.begin(), devs.end());
  w.memory.assign(w.devices.size(), RankMemory{});
  if (doc.contains("memory")) {
    const json& mem = doc["memory"];
    if (!mem.is_array()) R.fail("\"memory\" must be a list of {device, weight_bytes, kv_cache_bytes, ...}");
    for (const json& x : mem) {
      int d = x.value("device", -1);
      auto it = std::find(w.devices.begin(), w.devices.end(), d);
      if (it == w.devices.end()) R.fail("memory entry for device " + std::to_string(d) + ", which runs no op");
      RankMemory& r = w.memory[it - w.devices.begin()];
      r.weight_bytes = x.value("weight_bytes", 0.0);
      r.kv_cache_bytes = x.value("kv_cache_bytes", 0.0);
      r.gradient_bytes = x.value("gradient_bytes", 0.0);
      r.optimizer_bytes = x.value("optimizer_bytes", 0.0);
      r.activation_bytes = x.value("activation_bytes", 0.0);
    }
  }
  if (w.description.empty()) w.description = "trace " + file;
  return w;
}
}  // namespace

Workload read_trace_file(const std::string& path, bool serialize_comm) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::invalid_argument(path + ": cannot open trace file");
  std::stringstream ss;
  ss << in.rdbuf();
  return read_trace(ss.str(), path, serialize_comm);
}

std::string json_string(const std::string& s) { return json(s).dump(); }

namespace {
std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  // Shortest text that reads back to the same double.
  for (int p = 1; p <= 17; ++p) {
    char t[32];
    std::snprintf(t, sizeof t, "%.*g", p, v);
    if (std::strtod(t, nullptr) == v) return t;
  }
  return buf;
}
}  // namespace

void write_trace(const Workload& w, std::ostream& out) {
  const OpGraph& g = w.graph;
  out << "{\n  \"format\": \"strata-trace\",\n  \"version\": " << kTraceVersion << ",\n";
  out << "  \"workload\": {\"phase\": " << json_string(phase_name(w.phase)) << ", \"tokens_per_step\": "
      << num(w.tokens_per_step) << ", \"replicas\": " << w.replicas
      << ", \"model_flops_per_step\": " << num(w.model_flops_per_step)
      << ", \"description\": " << json_string(w.description) << "},\n";
  out << "  \"memory\": [";
  for (size_t i = 0; i < w.devices.size() && i < w.memory.size(); ++i) {
    const RankMemory& m = w.memory[i];
    out << (i ? ",\n    " : "\n    ") << "{\"device\": " << w.devices[i] << ", \"weight_bytes\": " << num(m.weight_bytes)
        << ", \"kv_cache_bytes\": " << num(m.kv_cache_bytes) << ", \"gradient_bytes\": " << num(m.gradient_bytes)
        << ", \"optimizer_bytes\": " << num(m.optimizer_bytes) << ", \"activation_bytes\": "
        << num(m.activation_bytes) << "}";
  }
  out << "],\n  \"ops\": [";
  // Dependencies that stream order already implies are left out (the reader restores them).
  std::map<std::pair<int, int>, OpGraph::OpId> last;
  for (OpGraph::OpId id = 0; id < g.size(); ++id) {
    const Op& op = g.op(id);
    const bool coll = op.kind == OpKind::collective;
    std::set<OpGraph::OpId> implied;
    std::vector<int> devs = coll ? g.participants(op) : std::vector<int>{op.device};
    std::vector<OpGraph::OpId> preds = g.preds(id);
    const bool ordered = g.ordered(id);
    if (ordered)
      for (int d : devs) {
        auto key = std::make_pair(d, static_cast<int>(op.stream));
        auto it = last.find(key);
        if (it != last.end()) implied.insert(it->second);
        last[key] = id;
      }
    out << (id ? ",\n    " : "\n    ") << "{\"id\": " << id << ", \"name\": " << json_string(op.name);
    if (coll) {
      const Collective& c = g.collectives()[op.collective];
      out << ", \"kind\": \"" << collective_kind_name(c.kind) << "\", \"ranks\": [";
      for (size_t i = 0; i < c.ranks.size(); ++i) out << (i ? ", " : "") << c.ranks[i];
      out << "]";
      if (c.kind == CollectiveKind::all_to_all || c.kind == CollectiveKind::send_recv) {
        out << ", \"flows\": [";
        for (size_t i = 0; i < c.flows.size(); ++i)
          out << (i ? ", " : "") << "[" << c.flows[i].src << ", " << c.flows[i].dst << ", " << num(c.flows[i].bytes) << "]";
        out << "]";
      } else if (token_routed(c.kind)) {
        if (c.tokens) {  // else measured, of unknown size (the op's duration is written)
          out << ", \"token_bytes\": " << num(c.token_bytes) << ", \"tokens\": ";
          write_token_routing(*c.tokens, out);
        }
      } else {
        out << ", \"bytes\": " << num(c.bytes);
      }
      if (c.algorithm != CollectiveAlgorithm::automatic)
        out << ", \"algorithm\": \"" << collective_algorithm_name(c.algorithm) << "\"";
      if (c.kind == CollectiveKind::broadcast) out << ", \"root\": " << c.root;
      if (devs != c.ranks) {
        out << ", \"devices\": [";
        for (size_t i = 0; i < devs.size(); ++i) out << (i ? ", " : "") << devs[i];
        out << "]";
      }
      if (!ordered) out << ", \"ordered\": false";
    } else {
      out << ", \"kind\": \"" << op_kind_name(op.kind) << "\", \"device\": " << op.device;
      if (op.kind == OpKind::gemm || op.kind == OpKind::batched_gemm || op.kind == OpKind::grouped_gemm ||
          op.m || op.n || op.k)
        out << ", \"m\": " << op.m << ", \"n\": " << op.n << ", \"k\": " << op.k;
      if (op.batch != 1 && op.kind != OpKind::grouped_gemm) out << ", \"batch\": " << op.batch;
      if (op.kind == OpKind::grouped_gemm) {
        out << ", \"group_rows\": [";
        for (size_t i = 0; i < op.group_rows.size(); ++i) out << (i ? ", " : "") << op.group_rows[i];
        out << "]";
      }
      out << ", \"flops\": " << num(op.flops);
      if (op.model_flops != op.flops) out << ", \"model_flops\": " << num(op.model_flops);
    }
    if (op.stream != (coll ? Stream::comm : Stream::compute)) {
      if (op.stream == Stream::compute || op.stream == Stream::comm)
        out << ", \"stream\": \"" << stream_name(op.stream) << "\"";
      else
        out << ", \"stream\": " << static_cast<int>(op.stream);
    }
    if (!coll) {
      out << ", \"bytes\": " << num(op.bytes);
      // What the cycle-level kernel library needs beyond shape, flops and bytes.
      if (op.bytes_written > 0) out << ", \"bytes_written\": " << num(op.bytes_written);
      if (op.accumulate) out << ", \"accumulate\": true";
      const AttentionWork& a = op.attention;
      if (a.requests > 0)
        out << ", \"attention\": {\"requests\": " << a.requests << ", \"queries\": " << a.queries
            << ", \"context\": " << num(a.context) << ", \"pairs\": " << num(a.pairs) << ", \"heads\": " << a.heads
            << ", \"kv_heads\": " << a.kv_heads << "}";
      if (op.kv_bytes_per_token > 0)
        out << ", \"kv_bytes_per_token\": " << num(op.kv_bytes_per_token) << ", \"kv_dtype\": \""
            << hw::dtype_name(op.kv_dtype) << "\"";
    }
    out << ", \"class\": \"" << op_class_name(op.op_class) << "\", \"dtype\": \"" << hw::dtype_name(op.dtype) << "\"";
    if (op.pass != Pass::forward) out << ", \"pass\": \"" << pass_name(op.pass) << "\"";
    if (op.layer >= 0) out << ", \"layer\": " << op.layer;
    if (op.micro_batch >= 0) out << ", \"micro_batch\": " << op.micro_batch;
    if (op.phase >= 0) out << ", \"phase\": " << json_string(g.phases()[op.phase]);
    if (op.measured_s >= 0) out << ", \"duration\": " << num(op.measured_s);
    std::vector<OpGraph::OpId> deps;
    for (OpGraph::OpId p : preds)
      if (!implied.count(p)) deps.push_back(p);
    std::sort(deps.begin(), deps.end());
    deps.erase(std::unique(deps.begin(), deps.end()), deps.end());
    if (!deps.empty()) {
      out << ", \"deps\": [";
      for (size_t i = 0; i < deps.size(); ++i) out << (i ? ", " : "") << deps[i];
      out << "]";
    }
    out << "}";
  }
  out << "\n  ]\n}\n";
}

}  // namespace strata::workloads
