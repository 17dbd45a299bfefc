#include "sim/config/node.h"

#include "sim/config/limits.h"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace strata::config {

const Node* Node::find(const std::string& key) const {
  for (const Entry& e : entries)
    if (e.key == key) return &e.value;
  return nullptr;
}

Node* Node::find(const std::string& key) {
  for (Entry& e : entries)
    if (e.key == key) return &e.value;
  return nullptr;
}

Origin Node::key_origin(const std::string& key) const {
  for (const Entry& e : entries)
    if (e.key == key) return e.key_origin;
  return origin;
}

void Node::set(const std::string& key, Node value, Origin key_origin) {
  kind = Kind::map;
  for (Entry& e : entries)
    if (e.key == key) {
      e.value = std::move(value);
      e.key_origin = std::move(key_origin);
      return;
    }
  entries.push_back(Entry{key, std::move(key_origin), std::move(value)});
}

bool Node::erase(const std::string& key) {
  for (auto it = entries.begin(); it != entries.end(); ++it)
    if (it->key == key) {
      entries.erase(it);
      return true;
    }
  return false;
}

Node Node::make_scalar(std::string text, Origin origin) {
  Node n;
  n.kind = Kind::scalar;
  n.scalar = std::move(text);
  n.origin = std::move(origin);
  return n;
}

Node Node::make_map(Origin origin) {
  Node n;
  n.kind = Kind::map;
  n.origin = std::move(origin);
  return n;
}

Node Node::make_seq(Origin origin) {
  Node n;
  n.kind = Kind::seq;
  n.origin = std::move(origin);
  return n;
}

namespace {

Origin origin_of(const YAML::Mark& m, const std::string& file) {
  Origin o;
  o.file = file;
  o.line = m.line + 1;
  o.column = m.column + 1;
  return o;
}

/// Counts values while converting, against kMaxNodes.
struct Budget {
  std::size_t nodes = 0;
};

Node convert(const YAML::Node& y, const std::string& file, int depth, Budget& budget) {
  Node n;
  n.origin = origin_of(y.Mark(), file);
  if (depth > kMaxNesting)
    throw ConfigError(n.origin, "", "mappings and lists nest deeper than " + std::to_string(kMaxNesting) +
                                        " levels (the limit for config files)");
  if (++budget.nodes > kMaxNodes)
    throw ConfigError(n.origin, "", "more than " + std::to_string(kMaxNodes) +
                                        " values in one file (the limit for config files)");
  switch (y.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      n.kind = Node::Kind::null;
      break;
    case YAML::NodeType::Scalar:
      n.kind = Node::Kind::scalar;
      n.scalar = y.Scalar();
      n.quoted = y.Tag() == "!";
      break;
    case YAML::NodeType::Sequence:
      n.kind = Node::Kind::seq;
      for (const YAML::Node& item : y) n.items.push_back(convert(item, file, depth + 1, budget));
      break;
    case YAML::NodeType::Map: {
      n.kind = Node::Kind::map;
      std::set<std::string> seen;
      for (const auto& kv : y) {
        Origin ko = origin_of(kv.first.Mark(), file);
        if (!kv.first.IsScalar())
          throw ConfigError(ko, "", "a key must be a plain name, not a list or mapping");
        std::string key = kv.first.Scalar();
        if (key == "<<")
          throw ConfigError(ko, key, "YAML merge keys are not supported; use 'base: FILE' instead");
        if (!seen.insert(key).second)
          throw ConfigError(ko, key, "duplicate key; each key may appear once in a mapping");
        n.entries.push_back(Entry{key, ko, convert(kv.second, file, depth + 1, budget)});
      }
      break;
    }
  }
  return n;
}

bool looks_like_number(const std::string& s) {
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end != s.c_str() && *end == '\0';
}

bool needs_quotes(const std::string& s) {
  if (s.empty()) return true;
  if (s.find_first_of(":#{}[],&*!|>'\"%@`\n") != std::string::npos) return true;
  if (s.front() == ' ' || s.back() == ' ' || s.front() == '-' || s.front() == '?') return true;
  return s == "~";
}

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string scalar_text(const Node& n) {
  if (n.scalar.empty()) return "\"\"";
  if (n.quoted || needs_quotes(n.scalar)) return quote(n.scalar);
  return n.scalar;
}

void emit(const Node& n, int indent, std::ostringstream& out);

void emit_value_after_key(const Node& v, int indent, std::ostringstream& out) {
  if (v.is_map() && !v.entries.empty()) {
    out << "\n";
    emit(v, indent + 2, out);
  } else if (v.is_seq() && !v.items.empty()) {
    out << "\n";
    emit(v, indent + 2, out);
  } else if (v.is_map()) {
    out << " {}\n";
  } else if (v.is_seq()) {
    out << " []\n";
  } else if (v.is_null()) {
    out << " ~\n";
  } else {
    out << " " << scalar_text(v) << "\n";
  }
}

void emit(const Node& n, int indent, std::ostringstream& out) {
  std::string pad(indent, ' ');
  if (n.is_map()) {
    for (const Entry& e : n.entries) {
      out << pad << (needs_quotes(e.key) ? quote(e.key) : e.key) << ":";
      emit_value_after_key(e.value, indent, out);
    }
  } else if (n.is_seq()) {
    for (const Node& item : n.items) {
      if (item.is_map() && !item.entries.empty()) {
        // First key on the dash line, the rest indented under it.
        std::ostringstream inner;
        emit(item, indent + 2, inner);
        std::string text = inner.str();
        out << pad << "- " << text.substr(indent + 2);
      } else {
        out << pad << "-";
        emit_value_after_key(item, indent, out);
      }
    }
  } else if (n.is_scalar()) {
    out << pad << scalar_text(n) << "\n";
  } else {
    out << pad << "~\n";
  }
}

}  // namespace

Node parse_yaml(const std::string& text, const std::string& file) {
  if (text.size() > kMaxConfigBytes) {
    Origin o;
    o.file = file;
    throw ConfigError(o, "", "the file is " + std::to_string(text.size()) + " bytes; config files are limited to " +
                                 std::to_string(kMaxConfigBytes) + " bytes");
  }
  YAML::Node y;
  try {
    y = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw ConfigError(origin_of(e.mark, file), "", "malformed YAML: " + e.msg);
  }
  Budget budget;
  return convert(y, file, 0, budget);
}

Node read_yaml_file(const std::string& path, const Origin& requested_by) {
  Origin o = requested_by;
  if (o.file.empty()) o.file = path;
  std::error_code ec;
  // Only regular files: a device or FIFO (/dev/zero) would never end.
  if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec))
    throw ConfigError(o, "", "'" + path + "' is not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(o, "", "cannot open config file '" + path + "' (no such file or not readable)");
  auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > kMaxConfigBytes)
    throw ConfigError(o, "", "'" + path + "' is " + std::to_string(size) + " bytes; config files are limited to " +
                                 std::to_string(kMaxConfigBytes) + " bytes");
  std::ostringstream buf;
  buf << in.rdbuf();
  return parse_yaml(buf.str(), path);
}

void merge_into(Node& base, const Node& over) {
  if (base.is_map() && over.is_map()) {
    for (const Entry& e : over.entries) {
      Node* existing = base.find(e.key);
      if (existing && existing->is_map() && e.value.is_map())
        merge_into(*existing, e.value);
      else
        base.set(e.key, e.value, e.key_origin);
    }
    return;
  }
  base = over;
}

std::string to_yaml(const Node& n) {
  std::ostringstream out;
  emit(n, 0, out);
  return out.str();
}

bool text_needs_quotes(const std::string& s) {
  static const std::set<std::string> special = {"null", "Null", "NULL", "true", "false", "True",
                                                "False", "TRUE", "FALSE", "yes", "no", "on", "off"};
  return needs_quotes(s) || special.count(s) > 0 || looks_like_number(s);
}

std::string describe(const Node& n) {
  switch (n.kind) {
    case Node::Kind::null: return "nothing";
    case Node::Kind::scalar: return "'" + n.scalar + "'";
    case Node::Kind::map: return "a mapping";
    case Node::Kind::seq: return "a list";
  }
  return "?";
}

}  // namespace strata::config
