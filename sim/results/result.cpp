#include "sim/results/result.h"

namespace strata::results {

size_t Column::size() const {
  return std::visit([](const auto& v) { return v.size(); }, data);
}

const Column* Table::find(const std::string& column) const {
  for (const Column& c : columns)
    if (c.name == column) return &c;
  return nullptr;
}

const Scalar* Result::scalar(const std::string& name) const {
  for (const Scalar& s : summary)
    if (s.name == name) return &s;
  return nullptr;
}

double Result::value(const std::string& name) const {
  const Scalar* s = scalar(name);
  return s ? s->value : 0.0;
}

const Table* Result::table(const std::string& name) const {
  for (const Table& t : tables)
    if (t.name == name) return &t;
  return nullptr;
}

}  // namespace strata::results
