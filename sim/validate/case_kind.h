// A kind of validation case: a named experiment with typed parameters that predicts metrics.
// Cases in tests/validation/*.yaml name a kind, its parameters, a metric, the published value,
// its source and a tolerance. Kinds are listed explicitly in case_kinds.cpp.
#pragma once

#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/config/node.h"
#include "sim/config/schema.h"
#include "sim/config/units.h"

namespace strata::validate {

/// A metric a kind predicts, with the dimension its published value is written in.
struct MetricDef {
  std::string name;
  config::Dim dim = config::Dim::none;
  std::string description;
};

using Metrics = std::map<std::string, double>;

/// Thrown by a kind whose input lies outside the project and is absent here (DeepSeek's trace
/// in ../shared/reference/traces): the case is reported SKIPPED with this message, not failed.
struct Unavailable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct CaseKind {
  std::string name;
  std::string description;
  std::vector<MetricDef> metrics;
  /// Checks the parameters (throws config::ConfigError at their position).
  std::function<void(const config::Node& params, const std::string& path)> check;
  /// Runs the experiment. Called in a child process of its own, so a kind may start a SystemC
  /// simulation (which cannot be restarted within one process).
  std::function<Metrics(const config::Node& params, const std::string& path)> run;
};

/// Builds a kind whose parameters bind to struct P (P::schema()).
template <class P>
CaseKind make_kind(std::string name, std::string description, std::vector<MetricDef> metrics,
                   std::function<Metrics(const P&)> fn) {
  CaseKind k;
  k.name = std::move(name);
  k.description = std::move(description);
  k.metrics = std::move(metrics);
  k.check = [](const config::Node& n, const std::string& path) { P::schema().bind(n, path); };
  k.run = [fn](const config::Node& n, const std::string& path) { return fn(P::schema().bind(n, path)); };
  return k;
}

/// Every kind this build knows, in a fixed order.
const std::vector<CaseKind>& case_kinds();

}  // namespace strata::validate
