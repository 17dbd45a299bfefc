// Parameters declared once: each struct lists its keys with type, unit, default, allowed range and
// a one-line description. The same declaration binds YAML to the struct (rejecting unknown keys,
// wrong types and out-of-range values with file:line:column and a "did you mean"), writes the
// resolved config back out, and generates docs/parameters.md.
//
//   const Schema<ChipSpec>& ChipSpec::schema() {
//     static const Schema<ChipSpec> s = [] {
//       Schema<ChipSpec> s("chip", "One accelerator die or package");
//       s.integer("sm_count", &ChipSpec::sm_count, "Streaming multiprocessors").min(1);
//       s.quantity("clock", &ChipSpec::clock_hz, Dim::frequency, "Sustained clock").positive();
//       return s;
//     }();
//     return s;
//   }
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "sim/config/node.h"
#include "sim/config/units.h"

namespace strata::config {

class SchemaBase;

/// What the docs generator and error messages know about one key.
struct FieldInfo {
  std::string key;
  std::string type;          ///< "integer", "data rate", "one of: a, b", "mapping", "list of mapping"
  std::string default_text;  ///< as a user would write it; empty when required
  std::string range_text;    ///< "> 0", "1 .. 1024", ""
  std::string description;
  bool required = false;
  const SchemaBase* child = nullptr;  ///< nested mapping's schema
};

class SchemaBase {
 public:
  SchemaBase(std::string name, std::string description)
      : name_(std::move(name)), description_(std::move(description)) {}
  virtual ~SchemaBase() = default;
  const std::string& name() const { return name_; }
  const std::string& description() const { return description_; }
  virtual std::vector<FieldInfo> field_infos() const = 0;

 private:
  std::string name_;
  std::string description_;
};

/// Closest candidate to `word` by edit distance, if close enough to be a likely typo.
std::optional<std::string> did_you_mean(const std::string& word,
                                        const std::vector<std::string>& candidates);

/// "a.b" + "c" -> "a.b.c"
inline std::string join_path(const std::string& a, const std::string& b) {
  return a.empty() ? b : a + "." + b;
}

/// Numeric limits of a field, in base units; shown in docs and checked on load.
struct Range {
  std::optional<double> lo, hi;
  bool lo_open = false;
  Dim dim = Dim::none;
  bool integer = false;

  bool contains(double v) const;
  std::string text() const;
};

/// Reads scalars; each throws ConfigError naming `path` on a bad value.
double read_integer(const Node& n, const std::string& path);
double read_quantity(const Node& n, Dim d, const std::string& path);
bool read_bool(const Node& n, const std::string& path);
std::string read_text(const Node& n, const std::string& path);
/// A scalar path made absolute against the directory of the file that wrote it (the working
/// directory for command-line values); "" stays "".
std::string resolve_path(const Node& n);
void check_range(const Node& n, const std::string& path, double v, const Range& r);

/// Lets a struct-level check report a problem at the position of one of its keys.
class Checker {
 public:
  Checker(const Node& node, std::string path) : node_(node), path_(std::move(path)) {}
  /// Throws at `key` (dotted paths allowed: "parallel.ep") under this mapping.
  [[noreturn]] void fail(const std::string& key, const std::string& message) const;

 private:
  const Node& node_;
  std::string path_;
};

/// Everything known about one declared key; shared by the schema and its fluent handle.
struct FieldState {
  FieldInfo info;
  Range range;
  std::optional<Node> def;  ///< parsed default, bound like a user's value when the key is absent
};

/// Fluent handle on a field being declared: .def("1830 MHz").positive() and so on.
class FieldHandle {
 public:
  explicit FieldHandle(std::shared_ptr<FieldState> st) : st_(std::move(st)) {}
  /// Default written as a user would write it; it is checked like user input.
  FieldHandle& def(const std::string& text);
  FieldHandle& min(double v);
  FieldHandle& max(double v);
  FieldHandle& positive();
  /// Limits written with units, e.g. .range("1 MHz", "10 GHz").
  FieldHandle& range(const std::string& lo, const std::string& hi);

 private:
  std::shared_ptr<FieldState> st_;
};

template <class S>
class Schema : public SchemaBase {
 public:
  using SchemaBase::SchemaBase;

  template <class Int>
  FieldHandle integer(const std::string& key, Int S::*m, const std::string& desc) {
    static_assert(std::is_integral_v<Int>, "integer() takes an integral member");
    return scalar(key, "integer", desc, Dim::none, true,
                  [m](S& s, const Node& n, const std::string& p, const Range& r) {
                    double v = read_integer(n, p);
                    check_range(n, p, v, r);
                    // Keys without a declared maximum are still bounded by their type.
                    check_range(n, p, v, Range{double(std::numeric_limits<Int>::min()),
                                               double(std::numeric_limits<Int>::max()), false,
                                               Dim::none, true});
                    s.*m = static_cast<Int>(v);
                  },
                  [m](const S& s) { return std::to_string(s.*m); });
  }

  FieldHandle number(const std::string& key, double S::*m, const std::string& desc) {
    return quantity(key, m, Dim::none, desc);
  }

  FieldHandle quantity(const std::string& key, double S::*m, Dim d, const std::string& desc) {
    std::string type = d == Dim::none ? "number" : dim_name(d);
    return scalar(key, type, desc, d, false,
                  [m, d](S& s, const Node& n, const std::string& p, const Range& r) {
                    double v = read_quantity(n, d, p);
                    check_range(n, p, v, r);
                    s.*m = v;
                  },
                  [m, d](const S& s) { return format_quantity(s.*m, d); });
  }

  FieldHandle boolean(const std::string& key, bool S::*m, const std::string& desc) {
    return scalar(key, "true or false", desc, Dim::none, false,
                  [m](S& s, const Node& n, const std::string& p, const Range&) {
                    s.*m = read_bool(n, p);
                  },
                  [m](const S& s) { return std::string(s.*m ? "true" : "false"); });
  }

  FieldHandle text(const std::string& key, std::string S::*m, const std::string& desc) {
    FieldHandle h = scalar(key, "text", desc, Dim::none, false,
                           [m](S& s, const Node& n, const std::string& p, const Range&) {
                             s.*m = read_text(n, p);
                           },
                           [m](const S& s) { return s.*m; });
    // Text that would read back as a number or boolean is written in quotes.
    fields_.back().dump = [m](const S& s) {
      Node n = Node::make_scalar(s.*m);
      n.quoted = text_needs_quotes(s.*m);
      return n;
    };
    return h;
  }

  /// A file path. A relative path is taken relative to the file that wrote it (as `base:` is),
  /// or to the working directory for `-p` overrides, and stored normalised; empty means none.
  FieldHandle path(const std::string& key, std::string S::*m, const std::string& desc) {
    FieldHandle h = text(key, m, desc);
    fields_.back().bind = [m](S& s, const Node& n, const std::string& p) {
      if (!n.is_scalar()) throw ConfigError(n.origin, p, "expected a file path, got " + describe(n));
      s.*m = resolve_path(n);
    };
    fields_.back().st->info.type = "file path";
    return h;
  }

  /// A key whose value is one of a fixed set of names, stored as an enum (or any type).
  template <class E>
  FieldHandle choice(const std::string& key, E S::*m, std::vector<std::pair<std::string, E>> options,
                     const std::string& desc) {
    std::vector<std::string> names;
    for (auto& o : options) names.push_back(o.first);
    return scalar(
        key, "one of: " + join_names(names), desc, Dim::none, false,
        [m, options, names](S& s, const Node& n, const std::string& p, const Range&) {
          std::string v = read_text(n, p);
          for (auto& o : options)
            if (o.first == v) {
              s.*m = o.second;
              return;
            }
          std::string msg = "'" + v + "' is not allowed";
          if (auto g = did_you_mean(v, names)) msg += "; did you mean '" + *g + "'?";
          throw ConfigError(n.origin, p, msg + " (allowed: " + join_names(names) + ")");
        },
        [m, options](const S& s) {
          for (auto& o : options)
            if (o.second == s.*m) return o.first;
          return std::string("?");
        });
  }

  /// A nested mapping bound to a struct with its own schema (T::schema()).
  template <class T>
  FieldHandle child(const std::string& key, T S::*m, const std::string& desc) {
    return add(key, "mapping", desc, Dim::none, &T::schema(),
               [m](S& s, const Node& n, const std::string& p) { T::schema().bind(n, p, s.*m); },
               [m](const S& s) { return T::schema().dump(s.*m); });
  }

  /// A nested mapping only some configurations use (the model of a generated workload, not of a
  /// replayed trace): when `used` holds for the struct bound from the other keys, it binds as
  /// child() does (left out, its required keys are missing); otherwise it may be left out, keeps
  /// its default, and the dump leaves it out.
  template <class T>
  FieldHandle child_if(const std::string& key, T S::*m, std::function<bool(const S&)> used,
                       const std::string& desc) {
    FieldHandle h = child(key, m, desc);
    fields_.back().used = std::move(used);
    return h;
  }

  /// A list of mappings, each bound to T.
  template <class T>
  FieldHandle list(const std::string& key, std::vector<T> S::*m, const std::string& desc) {
    return add(
        key, "list of mapping", desc, Dim::none, &T::schema(),
        [m](S& s, const Node& n, const std::string& p) {
          if (!n.is_seq()) throw ConfigError(n.origin, p, "expected a list, got " + describe(n));
          (s.*m).clear();
          for (size_t i = 0; i < n.items.size(); ++i) {
            T item{};
            T::schema().bind(n.items[i], p + "." + std::to_string(i), item);
            (s.*m).push_back(std::move(item));
          }
        },
        [m](const S& s) {
          Node seq = Node::make_seq();
          for (const T& item : s.*m) seq.items.push_back(T::schema().dump(item));
          return seq;
        });
  }

  /// A list of quantities (or plain numbers with Dim::none).
  FieldHandle quantities(const std::string& key, std::vector<double> S::*m, Dim d,
                         const std::string& desc) {
    std::string type = std::string("list of ") + (d == Dim::none ? "number" : dim_name(d));
    return add(
        key, type, desc, d, nullptr,
        [m, d](S& s, const Node& n, const std::string& p) {
          if (!n.is_seq()) throw ConfigError(n.origin, p, "expected a list, got " + describe(n));
          (s.*m).clear();
          for (size_t i = 0; i < n.items.size(); ++i)
            (s.*m).push_back(read_quantity(n.items[i], d, p + "." + std::to_string(i)));
        },
        [m, d](const S& s) {
          Node seq = Node::make_seq();
          for (double v : s.*m) seq.items.push_back(Node::make_scalar(format_quantity(v, d)));
          return seq;
        });
  }

  /// Any YAML value, kept as a tree (with its positions) for a later, context-dependent bind.
  FieldHandle raw(const std::string& key, Node S::*m, const std::string& desc) {
    return add(key, "any", desc, Dim::none, nullptr,
               [m](S& s, const Node& n, const std::string&) { s.*m = n; },
               [m](const S& s) { return s.*m; });
  }

  /// A cross-key rule, run after every key is bound.
  void check(std::function<void(const S&, const Checker&)> fn) { checks_.push_back(std::move(fn)); }
  /// Runs after the checks and may change the bound struct (e.g. apply a node retarget); the
  /// dump then shows the result, so binding a dump again must not change it further.
  void adjust(std::function<void(S&, const Checker&)> fn) { adjusts_.push_back(std::move(fn)); }

  /// Binds mapping `n` (null means "all defaults") at key path `path` into `out`.
  void bind(const Node& n, const std::string& path, S& out) const {
    Node empty = Node::make_map(n.origin);
    const Node& src = n.is_null() ? empty : n;
    std::vector<std::string> names;
    for (const F& f : fields_) names.push_back(f.st->info.key);
    if (!src.is_map())
      throw ConfigError(src.origin, path, "expected a mapping with keys (" + join_names(names) +
                                              "), got " + describe(src));
    for (const Entry& e : src.entries) {
      bool known = false;
      for (const std::string& k : names) known = known || k == e.key;
      if (known) continue;
      std::string msg = "unknown key";
      if (auto g = did_you_mean(e.key, names)) msg += "; did you mean '" + *g + "'?";
      throw ConfigError(e.key_origin, join_path(path, e.key),
                        msg + " (allowed here: " + join_names(names) + ")");
    }
    std::vector<const F*> if_used;  // child_if mappings left out: bound once the rest is known
    for (const F& f : fields_) {
      const FieldInfo& info = f.st->info;
      std::string p = join_path(path, info.key);
      const Node* v = src.find(info.key);
      if (v && !v->is_null())
        f.bind(out, *v, p);
      else if (f.used)
        if_used.push_back(&f);
      else if (f.st->def)
        f.bind(out, *f.st->def, p);
      else if (info.type == "mapping")
        f.bind(out, Node::make_map(src.origin), p);  // left out: the nested defaults apply
      else
        throw ConfigError(src.origin, p, "missing required key (" + info.type + ": " +
                                             info.description + ")");
    }
    for (const F* f : if_used)
      if (f->used(out)) f->bind(out, Node::make_map(src.origin), join_path(path, f->st->info.key));
    Checker c(src, path);
    for (const auto& fn : checks_) fn(out, c);
    for (const auto& fn : adjusts_) fn(out, c);
  }

  S bind(const Node& n, const std::string& path = "") const {
    S s{};
    bind(n, path, s);
    return s;
  }

  /// The struct as a mapping, every key present, values in canonical units.
  Node dump(const S& s) const {
    Node m = Node::make_map();
    for (const F& f : fields_)
      if (!f.used || f.used(s)) m.set(f.st->info.key, f.dump(s), Origin{});
    return m;
  }

  std::vector<FieldInfo> field_infos() const override {
    std::vector<FieldInfo> v;
    for (const F& f : fields_) v.push_back(f.st->info);
    return v;
  }

 private:
  struct F {
    std::shared_ptr<FieldState> st;
    std::function<void(S&, const Node&, const std::string&)> bind;
    std::function<Node(const S&)> dump;
    std::function<bool(const S&)> used;  ///< child_if: whether the configuration uses it
  };

  static std::string join_names(const std::vector<std::string>& names) {
    std::string s;
    for (size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + names[i];
    return s;
  }

  static std::shared_ptr<FieldState> state(const std::string& key, const std::string& type,
                                           const std::string& desc, Dim d,
                                           const SchemaBase* child) {
    auto st = std::make_shared<FieldState>();
    st->info.key = key;
    st->info.type = type;
    st->info.description = desc;
    st->info.required = true;
    st->info.child = child;
    st->range.dim = d;
    return st;
  }

  FieldHandle add(const std::string& key, const std::string& type, const std::string& desc, Dim d,
                  const SchemaBase* child,
                  std::function<void(S&, const Node&, const std::string&)> bind,
                  std::function<Node(const S&)> dump) {
    auto st = state(key, type, desc, d, child);
    fields_.push_back(F{st, std::move(bind), std::move(dump), {}});
    return FieldHandle(st);
  }

  using ScalarBind = std::function<void(S&, const Node&, const std::string&, const Range&)>;

  FieldHandle scalar(const std::string& key, const std::string& type, const std::string& desc,
                     Dim d, bool integer, ScalarBind bind,
                     std::function<std::string(const S&)> dump) {
    auto st = state(key, type, desc, d, nullptr);
    st->range.integer = integer;
    // The range is read at bind time, so limits declared after this call still apply.
    auto bind_scalar = [bind, st](S& s, const Node& n, const std::string& p) {
      if (!n.is_scalar())
        throw ConfigError(n.origin, p, "expected a single value, got " + describe(n));
      bind(s, n, p, st->range);
    };
    auto dump_scalar = [dump](const S& s) { return Node::make_scalar(dump(s)); };
    fields_.push_back(F{st, bind_scalar, dump_scalar, {}});
    return FieldHandle(st);
  }

  std::vector<F> fields_;
  std::vector<std::function<void(const S&, const Checker&)>> checks_;
  std::vector<std::function<void(S&, const Checker&)>> adjusts_;
};

}  // namespace strata::config
