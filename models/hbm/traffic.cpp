#include "models/hbm/traffic.h"

namespace strata::hbm {
using config::Dim;

const config::Schema<TrafficSpec>& TrafficSpec::schema() {
  static const config::Schema<TrafficSpec> s = [] {
    config::Schema<TrafficSpec> s("traffic", "A synthetic stream of memory requests");
    s.choice("pattern", &TrafficSpec::pattern,
             {{"sequential", Pattern::sequential}, {"random", Pattern::random}},
             "sequential: consecutive addresses; random: uniform over the footprint")
        .def("sequential");
    s.number("read_fraction", &TrafficSpec::read_fraction, "Share of requests that read (the rest write)")
        .def("1")
        .min(0)
        .max(1);
    s.quantity("request_size", &TrafficSpec::request_bytes, Dim::bytes,
               "Bytes per request; requests are aligned to their size")
        .def("64 B")
        .range("1 B", "1 MiB");
    s.integer("outstanding", &TrafficSpec::outstanding, "Most requests in flight at once")
        .def("256")
        .min(1)
        .max(1 << 24);
    s.integer("requests", &TrafficSpec::requests, "Requests to send").def("100000").min(1).max(1e10);
    s.integer("seed", &TrafficSpec::seed, "Seed of the random addresses and read/write draws")
        .def("1")
        .min(0);
    s.quantity("start", &TrafficSpec::start_bytes, Dim::bytes, "First address").def("0 B").min(0);
    s.quantity("footprint", &TrafficSpec::footprint_bytes, Dim::bytes,
               "Addresses span [start, start + footprint); 0 B: to the end of memory")
        .def("0 B")
        .min(0);
    return s;
  }();
  return s;
}

}  // namespace strata::hbm
