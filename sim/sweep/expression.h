// Constraint expressions of a sweep file, e.g. "parallel.ep <= cluster.nodes * 8 and
// workload.batch_per_gpu * parallel.ep <= 8192". Names are axis names or key paths of the
// point's resolved scenario; numbers are in base units ('80 GiB' in quotes is a quantity).
//
//   or:   and ('or' and)*          cmp:  sum (('<' | '<=' | '>' | '>=' | '==' | '!=') sum)?
//   and:  not ('and' not)*         sum:  prod (('+' | '-') prod)*
//   not:  'not' not | cmp          prod: unary (('*' | '/' | '%') unary)*
//   unary: '-' unary | number | 'quoted' | name | true | false | '(' or ')'
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sim/config/error.h"
#include "sim/config/units.h"

namespace strata::sweep {

/// A number (base units; booleans are 1 and 0) or a text.
using Value = std::variant<double, std::string>;

/// Looks a name up; nullopt when the name is unknown.
using Lookup = std::function<std::optional<Value>(const std::string& name)>;

class Expression {
 public:
  /// Parses `text`; a syntax error is a ConfigError at `origin` under `key`.
  Expression(const std::string& text, config::Origin origin, std::string key);

  /// Evaluates to true or false. An unknown name, or arithmetic on text, is a ConfigError at
  /// the expression's origin; `names` feeds the "did you mean".
  bool holds(const Lookup& lookup, const std::vector<std::string>& names) const;

  const std::string& text() const { return text_; }
  /// Every name the expression reads, in order of appearance.
  std::vector<std::string> names() const;

  struct Node;

 private:
  std::string text_;
  config::Origin origin_;
  std::string key_;
  std::shared_ptr<const Node> root_;
};

struct Number {
  double value = 0;  ///< in base units
  config::Dim dim = config::Dim::none;
};

/// Reads a scalar as a number: plain ("128", "85%") or a quantity of any dimension
/// ("1.83 GHz", "80 GiB"); nullopt for other text.
std::optional<Number> read_number(const std::string& text);

}  // namespace strata::sweep
