#include "models/network/flow_conservation.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

namespace strata::models {

void check_flow_conservation(const Topology& t, const Schedule& s, const std::vector<double>& channel_bytes) {
  const size_t n = t.vertices().size();
  if (channel_bytes.size() != size_t(t.channels()))
    throw std::logic_error("invariant violated: flow conservation: loads for " +
                           std::to_string(channel_bytes.size()) + " channels, the topology has " +
                           std::to_string(t.channels()));
  // net[v] = bytes in - bytes out; scale[v] = all bytes that touch v (for the tolerance).
  std::vector<double> net(n, 0.0), scale(n, 0.0);
  for (const Phase& p : s.phases)
    for (const Transfer& tr : p.transfers) {
      net[tr.src] += tr.bytes, net[tr.dst] -= tr.bytes;  // what the channels must account for
      scale[tr.src] += tr.bytes, scale[tr.dst] += tr.bytes;
    }
  for (int c = 0; c < t.channels(); ++c) {
    const double b = channel_bytes[c];
    if (!(b >= 0))
      throw std::logic_error("invariant violated: flow conservation: channel " + t.channel_name(c) +
                             " carried " + std::to_string(b) + " bytes");
    net[t.channel_to(c)] += b, net[t.channel_from(c)] -= b;
    scale[t.channel_to(c)] += b, scale[t.channel_from(c)] += b;
  }
  // Relative to the traffic at the vertex: sums of ECMP shares round in the last bits.
  constexpr double kRelTol = 1e-9;
  for (size_t v = 0; v < n; ++v)
    if (std::fabs(net[v]) > kRelTol * scale[v]) {
      char buf[160];
      std::snprintf(buf, sizeof buf, "bytes in - bytes out is off by %.6g from what it receives - sends (%.6g bytes)",
                    net[v], scale[v] / 2);
      throw std::logic_error("invariant violated: flow conservation: at " + t.vertices()[v].name + ", " + buf);
    }
}

}  // namespace strata::models
