#include "workloads/kineto.h"

#include <algorithm>
#include <cctype>
#include <memory>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>

#include "workloads/kernel_classes.h"
#include "workloads/kernels.h"

namespace strata::workloads {
using nlohmann::json;

namespace {

constexpr double kUs = 1e-6;
constexpr int kHostStreamBase = 100;   // host threads' streams: 100, 101, ...
constexpr double kWaitToleranceUs = 2.0;  // a kernel started this much after it could have: it waited

struct Kernel {
  size_t index = 0;  // event position in the file, for errors
  std::string name, cat;
  double ts = 0, dur = 0;  // us
  int64_t stream = 0, corr = -1, external = -1;
  const json* args = nullptr;
  KernelClass cls;
  std::string phase;
  double launch_ts = 0;
  int coll_n = -1;  // occurrence of its collective kind on its rank
  OpGraph::OpId op = 0;
};

struct Runtime {
  std::string name;
  double ts = 0, dur = 0;
  int64_t pid = 0, tid = 0, corr = -1;
};

struct Annotation {
  std::string name;
  double ts = 0, end = 0;
  int64_t pid = 0, tid = 0;
};

/// A CPU thread: (process, thread).
using Thread = std::pair<int64_t, int64_t>;

struct RankData {
  std::unique_ptr<json> doc;  // owns the events the kernels' args point into
  std::string file;
  int rank = 0, world = 1;
  std::string device_name;
  std::vector<Kernel> kernels;
  std::vector<Runtime> runtime;
  std::vector<Annotation> annotations;
  std::map<int64_t, const json*> cpu_args;  // External id -> cpu_op args
  int steps = 0;
};

[[noreturn]] void fail_event(const std::string& file, size_t i, const json& ev, const std::string& msg) {
  std::string who = "event #" + std::to_string(i);
  if (ev.is_object() && ev.contains("name") && ev["name"].is_string()) who += " '" + ev["name"].get<std::string>() + "'";
  if (ev.is_object() && ev.contains("cat") && ev["cat"].is_string()) who += " (cat " + ev["cat"].get<std::string>() + ")";
  throw std::invalid_argument(file + ": " + who + ": " + msg);
}

double number(const std::string& file, size_t i, const json& ev, const char* key) {
  auto it = ev.find(key);
  if (it == ev.end()) fail_event(file, i, ev, std::string("missing field '") + key + "'");
  if (!it->is_number()) fail_event(file, i, ev, std::string("field '") + key + "' must be a number, got " + it->dump());
  return it->get<double>();
}

int64_t id_field(const json& ev, const char* key) {
  auto it = ev.find(key);
  return it != ev.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

int64_t integer(const std::string& file, size_t i, const json& ev, const json& obj, const std::string& key,
                const std::string& where) {
  auto it = obj.find(key);
  if (it == obj.end()) fail_event(file, i, ev, "missing field '" + where + key + "'");
  if (!it->is_number_integer())
    fail_event(file, i, ev, "field '" + where + key + "' must be an integer, got " + it->dump());
  return it->get<int64_t>();
}

RankData parse(const std::string& file, const std::string& text, int position) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {  // a syntax error, or a number beyond a double
    throw std::invalid_argument(file + ": not valid JSON: " + std::string(e.what()));
  }
  if (!doc.is_object() || !doc.contains("traceEvents") || !doc["traceEvents"].is_array())
    throw std::invalid_argument(file + ": not a PyTorch profiler trace (no \"traceEvents\" list)");
  RankData d;
  d.file = file;
  d.rank = position;
  if (doc.contains("distributedInfo") && doc["distributedInfo"].is_object()) {
    const json& di = doc["distributedInfo"];
    if (di.contains("rank") && di["rank"].is_number_integer()) d.rank = di["rank"].get<int>();
    if (di.contains("world_size") && di["world_size"].is_number_integer()) d.world = di["world_size"].get<int>();
  }
  if (doc.contains("deviceProperties") && doc["deviceProperties"].is_array() && !doc["deviceProperties"].empty()) {
    const json& dp = doc["deviceProperties"][0];
    if (dp.is_object() && dp.contains("name") && dp["name"].is_string()) d.device_name = dp["name"].get<std::string>();
  }
  d.doc = std::make_unique<json>(std::move(doc));
  const json& events = (*d.doc)["traceEvents"];
  for (size_t i = 0; i < events.size(); ++i) {
    const json& ev = events[i];
    if (!ev.is_object()) fail_event(file, i, ev, "expected an object");
    if (ev.value("ph", std::string()) != "X") continue;
    std::string cat = ev.value("cat", std::string());
    auto name_of = [&] {
      if (!ev.contains("name") || !ev["name"].is_string()) fail_event(file, i, ev, "missing field 'name'");
      return ev["name"].get<std::string>();
    };
    if (cat == "kernel" || cat == "gpu_memcpy" || cat == "gpu_memset") {
      Kernel k;
      k.index = i;
      k.name = name_of();
      k.cat = cat;
      k.ts = number(file, i, ev, "ts");
      k.dur = number(file, i, ev, "dur");
      if (!ev.contains("args") || !ev["args"].is_object()) fail_event(file, i, ev, "missing field 'args'");
      const json& a = ev["args"];
      k.stream = integer(file, i, ev, a, "stream", "args.");
      k.corr = integer(file, i, ev, a, "correlation", "args.");
      if (a.contains("External id") && a["External id"].is_number_integer()) k.external = a["External id"].get<int64_t>();
      k.args = &a;
      k.cls = classify_kernel(k.name, cat);
      d.kernels.push_back(std::move(k));
    } else if (cat == "cuda_runtime" || cat == "cuda_driver") {
      Runtime r;
      r.name = name_of();
      r.ts = number(file, i, ev, "ts");
      r.dur = number(file, i, ev, "dur");
      r.pid = id_field(ev, "pid");
      r.tid = id_field(ev, "tid");
      if (ev.contains("args") && ev["args"].is_object() && ev["args"].contains("correlation") &&
          ev["args"]["correlation"].is_number_integer())
        r.corr = ev["args"]["correlation"].get<int64_t>();
      d.runtime.push_back(std::move(r));
    } else if (cat == "user_annotation") {
      Annotation an;
      an.name = name_of();
      an.ts = number(file, i, ev, "ts");
      an.end = an.ts + number(file, i, ev, "dur");
      an.pid = id_field(ev, "pid");
      an.tid = id_field(ev, "tid");
      if (an.name.rfind("ProfilerStep#", 0) == 0) {
        d.steps++;
        an.name = "ProfilerStep";
      }
      d.annotations.push_back(std::move(an));
    } else if (cat == "cpu_op" && ev.contains("args") && ev["args"].is_object()) {
      const json& a = ev["args"];
      if (a.contains("External id") && a["External id"].is_number_integer() && a.contains("In msg nelems"))
        d.cpu_args[a["External id"].get<int64_t>()] = &a;
    }
  }
  return d;
}

double dtype_size(const std::string& t) {
  if (t == "Float" || t == "Int" || t == "Int32" || t == "float32") return 4;
  if (t == "BFloat16" || t == "Half" || t == "bfloat16" || t == "float16" || t == "Short") return 2;
  if (t == "Double" || t == "Long" || t == "Int64") return 8;
  return 1;  // Byte, Char, Bool, Float8_*
}

/// Size and group of a collective kernel, from its own args or its CPU op's.
struct CommInfo {
  double bytes = 0;
  std::vector<int> ranks;
};

CommInfo comm_info(const RankData& d, const Kernel& k) {
  CommInfo c;
  const json* a = k.args;
  if (!a->contains("In msg nelems")) {
    auto it = d.cpu_args.find(k.external);
    if (it == d.cpu_args.end()) return c;
    a = it->second;
  }
  auto nelems = [&](const char* key) {
    return a->contains(key) && (*a)[key].is_number() ? (*a)[key].get<double>() : 0.0;
  };
  double size = a->contains("dtype") && (*a)["dtype"].is_string() ? dtype_size((*a)["dtype"].get<std::string>()) : 2;
  double in = nelems("In msg nelems"), out = nelems("Out msg nelems");
  c.bytes = std::max(in, out) * size;
  if (a->contains("Process Group Ranks")) {
    std::string s = (*a)["Process Group Ranks"].is_string() ? (*a)["Process Group Ranks"].get<std::string>()
                                                              : (*a)["Process Group Ranks"].dump();
    std::string num;
    for (char ch : s + ",") {
      if (std::isdigit(static_cast<unsigned char>(ch))) num += ch;
      else if (!num.empty()) c.ranks.push_back(std::stoi(num)), num.clear();
    }
  }
  return c;
}

using Annotations = std::map<Thread, std::vector<const Annotation*>>;  // per thread, by start

/// Innermost annotation of one thread around time t (the latest-starting one still open), or null.
const Annotation* innermost(const std::vector<const Annotation*>& v, double t) {
  auto ub = std::upper_bound(v.begin(), v.end(), t, [](double x, const Annotation* a) { return x < a->ts; });
  for (int walked = 0; ub != v.begin() && walked < 100000; ++walked) {
    --ub;
    if ((*ub)->end > t) return *ub;
  }
  return nullptr;
}

struct LaunchPhase {
  std::string name;       ///< "" when no thread of the process is inside an annotation
  bool borrowed = false;  ///< taken from another thread
};

/// The phase of work launched by `thread` at time t: the innermost user annotation of that
/// thread; if it has none, the innermost annotation open on any other thread of the same process
/// at t (the latest-starting one: autograd's backward thread runs while the main thread is
/// inside `attn(B)`); else none (unattributed).
LaunchPhase phase_of_launch(const Annotations& ann, const Thread& thread, double t) {
  if (auto it = ann.find(thread); it != ann.end())
    if (const Annotation* a = innermost(it->second, t)) return {a->name, false};
  const Annotation* best = nullptr;
  for (const auto& [other, v] : ann) {
    if (other.first != thread.first || other == thread) continue;
    const Annotation* a = innermost(v, t);
    if (a && (!best || a->ts > best->ts)) best = a;
  }
  return best ? LaunchPhase{best->name, true} : LaunchPhase{};
}

/// DeepEP notify kernels that do not say what they serve take the family (and collective kind)
/// of the next DeepEP kernel on their stream; `kernels` are sorted by start.
void resolve_ep_notify(std::vector<Kernel>& kernels) {
  std::map<int64_t, const KernelClass*> next;  // per stream, the next DeepEP data kernel's class
  for (auto it = kernels.rbegin(); it != kernels.rend(); ++it) {
    KernelClass& c = it->cls;
    if (c.family != "ep_dispatch" && c.family != "ep_combine") continue;
    if (!c.ep_notify_of_next) {
      next[it->stream] = &c;
    } else if (auto n = next.find(it->stream); n != next.end()) {
      c.family = n->second->family;
      c.collective = n->second->collective;
    }
  }
}

}  // namespace

bool is_kineto_trace(const std::string& text) {
  size_t p = text.find_first_not_of(" \t\r\n");
  return p != std::string::npos && text[p] == '{' && text.find("\"traceEvents\"") != std::string::npos;
}

namespace {
KinetoTrace import_checked(const std::vector<std::pair<std::string, std::string>>& files, bool serialize_comm);
}  // namespace

KinetoTrace import_kineto(const std::vector<std::pair<std::string, std::string>>& files, bool serialize_comm) {
  if (files.empty()) throw std::invalid_argument("no profiler trace given");
  try {
    return import_checked(files, serialize_comm);
  } catch (const json::exception& e) {
    // A field of an unexpected JSON type deep in an event (nlohmann's message names it).
    throw std::invalid_argument(files.front().first + ": " + e.what());
  }
}

namespace {
KinetoTrace import_checked(const std::vector<std::pair<std::string, std::string>>& files, bool serialize_comm) {
  KinetoTrace out;
  std::vector<RankData> ranks;
  for (size_t f = 0; f < files.size(); ++f) ranks.push_back(parse(files[f].first, files[f].second, int(f)));
  std::set<int> seen;
  for (const RankData& d : ranks) {
    if (!seen.insert(d.rank).second)
      throw std::invalid_argument(d.file + ": rank " + std::to_string(d.rank) + " appears in two traces");
    out.world_size = std::max({out.world_size, d.world, d.rank + 1});
    out.steps = std::max(out.steps, d.steps);
    if (out.device_name.empty()) out.device_name = d.device_name;
  }
  OpGraph& g = out.workload.graph;

  // Collectives: the n-th collective of a kind on each rank is one collective.
  struct Instance {
    OpGraph::OpId op = 0;
    bool created = false;
  };
  std::map<std::pair<int, int>, Instance> instances;  // (kind, n)
  std::map<std::pair<int, int>, std::vector<std::pair<RankData*, Kernel*>>> members;
  for (RankData& d : ranks) {
    std::sort(d.kernels.begin(), d.kernels.end(),
              [](const Kernel& a, const Kernel& b) { return a.ts != b.ts ? a.ts < b.ts : a.corr < b.corr; });
    resolve_ep_notify(d.kernels);
    std::map<int, int> count;
    for (Kernel& k : d.kernels)
      if (k.cls.collective) {
        int kind = static_cast<int>(*k.cls.collective);
        k.coll_n = count[kind]++;
        members[{kind, k.coll_n}].push_back({&d, &k});
      }
  }

  for (RankData& d : ranks) {
    // Streams: the busiest computing stream is "compute", the busiest communicating one "comm".
    std::map<int64_t, double> compute_time, comm_time;
    for (const Kernel& k : d.kernels) (k.cls.collective ? comm_time : compute_time)[k.stream] += k.dur;
    std::map<int64_t, Stream> stream_of;
    auto busiest = [](const std::map<int64_t, double>& m, const std::map<int64_t, Stream>& taken) {
      int64_t best = -1;
      double t = -1;
      for (const auto& [s, x] : m)
        if (!taken.count(s) && x > t) best = s, t = x;
      return best;
    };
    if (int64_t s = busiest(compute_time, stream_of); s >= 0) stream_of[s] = Stream::compute;
    if (int64_t s = busiest(comm_time, stream_of); s >= 0) stream_of[s] = Stream::comm;
    int next_stream = 2;
    for (const Kernel& k : d.kernels)
      if (!stream_of.count(k.stream)) stream_of[k.stream] = static_cast<Stream>(next_stream++);

    // Annotations per thread, by start.
    Annotations ann;
    for (const Annotation& a : d.annotations) ann[{a.pid, a.tid}].push_back(&a);
    for (auto& [tid, v] : ann) std::stable_sort(v.begin(), v.end(), [](auto* a, auto* b) { return a->ts < b->ts; });

    // Host threads: launches, the CPU time between them, and synchronisations.
    std::map<int64_t, const Runtime*> launch_of;
    std::set<int64_t> kernel_corr;
    for (const Kernel& k : d.kernels) kernel_corr.insert(k.corr);
    std::map<Thread, std::vector<const Runtime*>> host;
    for (const Runtime& r : d.runtime) {
      bool launch = r.corr >= 0 && kernel_corr.count(r.corr);
      bool sync = r.name.find("Synchronize") != std::string::npos;
      if (launch || sync) host[{r.pid, r.tid}].push_back(&r);
      if (launch) launch_of[r.corr] = &r;
    }
    std::map<int64_t, OpGraph::OpId> launch_op;
    std::vector<std::pair<OpGraph::OpId, const Runtime*>> syncs;
    int thread = 0;
    // Every thread's host stream starts at the rank's first call, so a thread that starts
    // later (autograd's backward thread) starts later in the replay too.
    double first_call = 0;
    for (auto& [thread_id, calls] : host) {
      std::stable_sort(calls.begin(), calls.end(), [](auto* a, auto* b) { return a->ts < b->ts; });
      first_call = thread ? std::min(first_call, calls.front()->ts) : calls.front()->ts;
      ++thread;
    }
    thread = 0;
    for (auto& [thread_id, calls] : host) {
      const Thread tid = thread_id;  // a lambda below reads it (C++17 cannot capture a binding)
      Stream s = static_cast<Stream>(kHostStreamBase + thread++);
      double prev_end = first_call;
      for (const Runtime* r : calls) {
        auto host_op = [&](const std::string& name, double seconds) {
          Op op;
          op.name = name;
          op.kind = OpKind::kernel;
          op.op_class = OpClass::host;
          op.device = d.rank;
          op.stream = s;
          op.measured_s = std::max(0.0, seconds);
          std::string ph = phase_of_launch(ann, tid, r->ts).name;
          if (!ph.empty()) op.phase = g.phase_id(ph);
          return g.add(op);
        };
        if (r->ts > prev_end) host_op("host.cpu", (r->ts - prev_end) * kUs);
        bool sync = r->name.find("Synchronize") != std::string::npos;
        OpGraph::OpId id = host_op("host." + r->name, sync ? 0.0 : r->dur * kUs);
        if (sync) syncs.push_back({id, r});
        else launch_op[r->corr] = id;
        prev_end = std::max(prev_end, r->ts + r->dur);
      }
    }

    // Kernels in stream order, with their launch and the cross-stream waits the timeline shows.
    std::map<Stream, const Kernel*> prev_on;
    std::vector<const Kernel*> by_end;
    for (Kernel& k : d.kernels) {
      auto l = launch_of.find(k.corr);
      k.launch_ts = l != launch_of.end() ? l->second->ts : k.ts;
      LaunchPhase lp;
      if (l != launch_of.end()) lp = phase_of_launch(ann, {l->second->pid, l->second->tid}, l->second->ts);
      k.phase = lp.name;
      Stream s = stream_of[k.stream];
      Op op;
      op.name = k.name.size() > 200 ? k.name.substr(0, 200) : k.name;
      op.op_class = k.cls.op_class;
      op.measured_s = k.dur * kUs;
      if (!k.phase.empty()) op.phase = g.phase_id(k.phase);
      if (k.cls.collective) {
        int kind = static_cast<int>(*k.cls.collective);
        int n = k.coll_n;
        Instance& inst = instances[{kind, n}];
        if (!inst.created) {
          const auto& list = members[{kind, n}];
          CommInfo info = comm_info(d, k);
          Collective c;
          c.kind = *k.cls.collective;
          c.ranks = info.ranks;
          if (c.ranks.empty())
            for (int r = 0; r < out.world_size; ++r) c.ranks.push_back(r);
          std::vector<int> devices;
          double measured = k.dur;
          for (const auto& [rd, kk] : list) {
            devices.push_back(rd->rank);
            measured = std::min(measured, kk->dur);  // the last to arrive waited least
            if (std::find(c.ranks.begin(), c.ranks.end(), rd->rank) == c.ranks.end()) c.ranks.push_back(rd->rank);
          }
          std::sort(devices.begin(), devices.end());
          const int nr = static_cast<int>(c.ranks.size());
          if (c.kind == CollectiveKind::all_to_all && info.bytes > 0 && nr > 1) {
            for (int a : c.ranks)
              for (int b : c.ranks)
                if (a != b) c.flows.push_back({a, b, info.bytes / nr});
          } else if (c.kind != CollectiveKind::send_recv && c.kind != CollectiveKind::all_to_all &&
                     !token_routed(c.kind)) {
            c.bytes = info.bytes;
            if (c.kind == CollectiveKind::broadcast) c.root = c.ranks.front();
          }
          op.measured_s = measured * kUs;
          if (collective_bytes(c) <= 0) ++out.unsized_collectives;
          Op cop = collective_op(op.name, -1, hw::DType::bf16, c);
          cop.op_class = OpClass::communication;
          cop.measured_s = op.measured_s;
          cop.phase = op.phase;
          int idx = g.intern_collective(std::move(c));
          inst.op = g.add_collective_ref(cop, idx, devices, false, s);
          inst.created = true;
        }
        k.op = inst.op;
        g.follow(k.op, d.rank, s);
        if (serialize_comm && s != Stream::compute) g.follow(k.op, d.rank, Stream::compute);
      } else {
        op.kind = OpKind::kernel;
        op.device = d.rank;
        op.stream = s;
        k.op = g.add(op);
      }
      if (auto l2 = launch_op.find(k.corr); l2 != launch_op.end()) g.depend(l2->second, k.op);
      // Started later than its stream and launch allowed: it waited for another stream (an
      // event: the last kernel of another stream that ended before it started), or, if none
      // ended while it waited, for SMs held by a compute kernel of another stream (two 112-CTA
      // GEMMs beside DeepEP's 20 SMs do not fit on 132): it started while that kernel's last
      // CTAs drained, so that kernel ends less than the wait after it started, and the replay
      // starts it at that end.
      double ready = k.launch_ts;
      if (auto p = prev_on.find(s); p != prev_on.end()) ready = std::max(ready, p->second->ts + p->second->dur);
      const double wait = k.ts - ready;
      if (wait > kWaitToleranceUs) {
        const Kernel* best = nullptr;
        for (auto it = by_end.rbegin(); it != by_end.rend(); ++it) {
          const Kernel* x = *it;
          if (x->ts + x->dur > k.ts + kWaitToleranceUs / 4) continue;
          if (x->ts + x->dur <= ready) break;
          if (stream_of[x->stream] != s) {
            best = x;
            break;
          }
        }
        if (!best)
          for (auto it = std::upper_bound(by_end.begin(), by_end.end(), k.ts,
                                          [](double t, const Kernel* x) { return t < x->ts + x->dur; });
               it != by_end.end() && (*it)->ts + (*it)->dur - k.ts < wait; ++it)
            if (stream_of[(*it)->stream] != s && !(*it)->cls.collective) {
              best = *it;
              break;
            }
        if (best && best->op != k.op) g.depend(best->op, k.op);
      }
      prev_on[s] = &k;
      auto pos = std::upper_bound(by_end.begin(), by_end.end(), k.ts + k.dur,
                                  [](double t, const Kernel* x) { return t < x->ts + x->dur; });
      by_end.insert(pos, &k);
      MeasuredKernel mk;
      mk.device = d.rank;
      mk.op_class = k.cls.op_class;
      mk.family = k.cls.family;
      mk.phase = lp.name;
      mk.phase_borrowed = lp.borrowed;
      mk.category = k.cat;
      mk.launch = l != launch_of.end() ? l->second->name : "";
      mk.stream = s;
      mk.trace_stream = k.stream;
      mk.start_s = k.ts * kUs;
      mk.duration_s = k.dur * kUs;
      out.kernels.push_back(std::move(mk));
    }
    // A synchronisation waits for the last kernel launched before it on each stream.
    for (const auto& [id, r] : syncs) {
      std::map<int64_t, const Kernel*> last;
      for (const Kernel& k : d.kernels)
        if (k.launch_ts < r->ts) last[k.stream] = &k;
      for (const auto& [s, k] : last) g.depend(k->op, id);
    }
  }
  Workload& w = out.workload;
  std::set<int> devs;
  for (const RankData& d : ranks) devs.insert(d.rank);
  w.devices.assign(devs.begin(), devs.end());
  w.memory.assign(w.devices.size(), RankMemory{});
  w.description = "PyTorch profiler trace of " + std::to_string(ranks.size()) + " rank(s), " +
                  std::to_string(out.kernels.size()) + " kernels, " + std::to_string(out.steps) + " step(s)";
  w.steps = out.steps;
  try {
    g.topological_order();
  } catch (const std::runtime_error& e) {
    throw std::invalid_argument(files.front().first + ": the trace's dependencies form a cycle (" + e.what() + ")");
  }
  return out;
}
}  // namespace

KinetoTrace import_kineto_path(const std::string& path, bool serialize_comm) {
  namespace fs = std::filesystem;
  std::vector<std::string> paths;
  if (fs::is_directory(path)) {
    for (const auto& e : fs::directory_iterator(path))
      if (e.path().extension() == ".json") paths.push_back(e.path().string());
    std::sort(paths.begin(), paths.end());
    if (paths.empty()) throw std::invalid_argument(path + ": no *.json traces in this folder");
  } else {
    paths.push_back(path);
  }
  std::vector<std::pair<std::string, std::string>> files;
  for (const std::string& p : paths) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw std::invalid_argument(p + ": cannot open trace file");
    std::stringstream ss;
    ss << in.rdbuf();
    files.push_back({p, ss.str()});
  }
  return import_kineto(files, serialize_comm);
}

}  // namespace strata::workloads
