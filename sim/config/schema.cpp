#include "sim/config/schema.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <filesystem>

namespace strata::config {

namespace {

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (std::tolower(a[i - 1]) == std::tolower(b[j - 1]) ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string range_bound(double v, const Range& r) {
  return r.integer ? std::to_string(static_cast<long long>(v)) : format_quantity(v, r.dim);
}

}  // namespace

std::optional<std::string> did_you_mean(const std::string& word,
                                        const std::vector<std::string>& candidates) {
  // The closest spelling within a few edits wins; failing that, a key that contains the word
  // (or is contained in it), as "batch" for "batch_per_gpu". A substring never beats a closer
  // spelling ("dtyp" is "dtype", not "kv_dtype").
  std::optional<std::string> best;
  size_t best_d = std::max<size_t>(2, word.size() / 3) + 1;
  for (const std::string& c : candidates) {
    size_t d = edit_distance(word, c);
    if (d < best_d) best_d = d, best = c;
  }
  if (best) return best;
  for (const std::string& c : candidates)
    if (std::min(c.size(), word.size()) >= 3 &&
        (c.find(word) != std::string::npos || word.find(c) != std::string::npos) &&
        (!best || c.size() < best->size()))
      best = c;
  return best;
}

bool Range::contains(double v) const {
  if (lo && (lo_open ? !(v > *lo) : !(v >= *lo))) return false;
  if (hi && !(v <= *hi)) return false;
  return true;
}

std::string Range::text() const {
  if (lo && hi) return range_bound(*lo, *this) + " .. " + range_bound(*hi, *this);
  if (lo) return std::string(lo_open ? "> " : ">= ") + range_bound(*lo, *this);
  if (hi) return "<= " + range_bound(*hi, *this);
  return "";
}

double read_integer(const Node& n, const std::string& path) {
  const std::string& t = n.scalar;
  const char* b = t.c_str();
  char* e = nullptr;
  errno = 0;
  long long v = std::strtoll(b, &e, 10);
  if (n.quoted || t.empty() || e == b || *e != '\0')
    throw ConfigError(n.origin, path, "expected an integer, got " + describe(n));
  if (errno == ERANGE) throw ConfigError(n.origin, path, describe(n) + " does not fit in 64 bits");
  return static_cast<double>(v);
}

double read_quantity(const Node& n, Dim d, const std::string& path) {
  if (!n.is_scalar())
    throw ConfigError(n.origin, path, "expected a single value, got " + describe(n));
  Parsed p = parse_quantity(n.scalar, d);
  if (!p.value) throw ConfigError(n.origin, path, p.error);
  return *p.value;
}

bool read_bool(const Node& n, const std::string& path) {
  if (!n.quoted && n.scalar == "true") return true;
  if (!n.quoted && n.scalar == "false") return false;
  throw ConfigError(n.origin, path, "expected true or false, got " + describe(n));
}

std::string read_text(const Node& n, const std::string& path) {
  if (!n.is_scalar()) throw ConfigError(n.origin, path, "expected text, got " + describe(n));
  return n.scalar;
}

std::string resolve_path(const Node& n) {
  namespace fs = std::filesystem;
  if (n.scalar.empty()) return "";
  fs::path p(n.scalar);
  if (p.is_relative()) {
    fs::path dir = n.origin.from_command_line || n.origin.file.empty()
                       ? fs::current_path()
                       : fs::path(n.origin.file).parent_path();
    p = dir / p;
  }
  return fs::absolute(p).lexically_normal().string();
}

void check_range(const Node& n, const std::string& path, double v, const Range& r) {
  if (!r.contains(v))
    throw ConfigError(n.origin, path, describe(n) + " is out of range; allowed: " + r.text());
}

void Checker::fail(const std::string& key, const std::string& message) const {
  // Point at the deepest part of the dotted key that exists (a file line or the -p override).
  const Node* cur = &node_;
  Origin where = node_.origin;
  size_t start = 0;
  while (cur && (cur->is_map() || cur->is_seq())) {
    size_t dot = key.find('.', start);
    std::string part = key.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (cur->is_seq()) {  // a list item by its index
      if (part.empty() || part.size() > 9 || part.find_first_not_of("0123456789") != std::string::npos) break;
      size_t i = std::stoul(part);
      if (i >= cur->items.size()) break;
      cur = &cur->items[i];
      where = cur->origin;
    } else {
      if (!cur->find(part)) break;
      where = cur->key_origin(part);
      cur = cur->find(part);
    }
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  throw ConfigError(where, join_path(path_, key), message);
}

FieldHandle& FieldHandle::def(const std::string& text) {
  Origin o;
  o.file = "default of '" + st_->info.key + "'";
  st_->def = parse_yaml(text, o.file);
  st_->info.default_text = text;
  st_->info.required = false;
  return *this;
}

FieldHandle& FieldHandle::min(double v) {
  st_->range.lo = v;
  st_->range.lo_open = false;
  st_->info.range_text = st_->range.text();
  return *this;
}

FieldHandle& FieldHandle::max(double v) {
  st_->range.hi = v;
  st_->info.range_text = st_->range.text();
  return *this;
}

FieldHandle& FieldHandle::positive() {
  st_->range.lo = 0.0;
  st_->range.lo_open = true;
  st_->info.range_text = st_->range.text();
  return *this;
}

FieldHandle& FieldHandle::range(const std::string& lo, const std::string& hi) {
  st_->range.lo = *parse_quantity(lo, st_->range.dim).value;
  st_->range.hi = *parse_quantity(hi, st_->range.dim).value;
  st_->range.lo_open = false;
  st_->info.range_text = st_->range.text();
  return *this;
}

}  // namespace strata::config
