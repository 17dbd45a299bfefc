// What a run produces, independent of the file format: the resolved config, provenance, summary
// scalars with units, and column tables. results/README.md documents the HDF5 form.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace strata::results {

/// Version of the on-disk layout; bump it when a dataset changes meaning.
constexpr int kSchemaVersion = 1;

struct Scalar {
  std::string name;
  double value = 0;
  std::string unit;  ///< "s", "tokens/s", "FLOP/s", "B/s", "B", "1" for ratios
  std::string description;
};

struct Column {
  using Data = std::variant<std::vector<double>, std::vector<int64_t>, std::vector<std::string>>;
  std::string name;
  std::string unit;
  std::string description;
  Data data;
  size_t size() const;
};

struct Table {
  std::string name;
  std::string description;
  std::vector<Column> columns;
  size_t rows() const { return columns.empty() ? 0 : columns.front().size(); }
  const Column* find(const std::string& column) const;
};

struct Provenance {
  std::string strata_version;
  std::string git_describe;
  int64_t seed = 0;
  std::string scenario;  ///< scenario name
  std::string fidelity;
  std::string op_cost_model;
  std::string network_model;
};

struct Result {
  std::string title;  ///< one line on what was simulated
  std::string config_yaml;
  Provenance provenance;
  std::vector<Scalar> summary;
  std::vector<Table> tables;

  const Scalar* scalar(const std::string& name) const;
  /// The scalar's value, 0 when the run has no such scalar (a phase-specific one).
  double value(const std::string& name) const;
  const Table* table(const std::string& name) const;
};

}  // namespace strata::results
